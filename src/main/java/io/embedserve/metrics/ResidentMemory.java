package io.embedserve.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident set size from /proc/self/status. Micrometer's process meters report CPU
 * and file descriptors but no resident memory, and the JVM's memory meters see only its own pools.
 */
final class ResidentMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final String KEY = "VmRSS:";

    private ResidentMemory() {}

    /** Bytes resident now; NaN where /proc is not there (not Linux), which Prometheus shows as no value. */
    static double bytes() {
        try {
            return parse(Files.readAllLines(STATUS));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static double parse(Iterable<String> statusLines) {
        for (String line : statusLines) {
            if (line.startsWith(KEY)) {
                return Long.parseLong(line.substring(KEY.length()).trim().split("\\s+")[0]) * 1024.0; // "123 kB"
            }
        }
        return Double.NaN;
    }
}
