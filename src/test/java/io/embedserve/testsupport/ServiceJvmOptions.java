package io.embedserve.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The service's JVM options, from their one source, the classpath resource
 * io/embedserve/inference/jvm-options (one option per line, # comments), which ./embedserve reads
 * with the shell.
 */
public final class ServiceJvmOptions {

    private static final String RESOURCE = "/io/embedserve/inference/jvm-options";

    private ServiceJvmOptions() {}

    public static List<String> read() {
        try (InputStream in = ServiceJvmOptions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    static List<String> parse(String text) {
        return text.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).peek(line -> {
            if (!line.startsWith("-") || line.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalStateException(RESOURCE + ": not a JVM option without spaces: '" + line + "'");
            }
        }).toList();
    }
}
