package io.embedserve.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Memory counters of this process from /proc/self/status, in bytes. RSS counts file pages mapped
 * into the process (RssFile) as well as private memory (RssAnon): memory-mapped float32 weights
 * show up as RssFile, copies as RssAnon.
 */
record ProcStatus(long vmRss, long vmHwm, long rssAnon, long rssFile) {

    private static final Path STATUS = Path.of("/proc/self/status");

    static ProcStatus read() {
        try {
            List<String> lines = Files.readAllLines(STATUS);
            return new ProcStatus(kb(lines, "VmRSS:"), kb(lines, "VmHWM:"), kb(lines, "RssAnon:"), kb(lines, "RssFile:"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + STATUS + " (Linux only)", e);
        }
    }

    private static long kb(List<String> lines, String key) {
        for (String line : lines) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]) * 1024; // "123 kB"
            }
        }
        return -1;
    }

    static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.0f MiB", bytes / 1024.0 / 1024.0);
    }
}
