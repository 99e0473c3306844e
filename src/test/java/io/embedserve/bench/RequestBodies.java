package io.embedserve.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The file bench/wrk-corpus.lua cycles through: one TEI {@code /embed} body per line, one text per
 * body. The JSON is written here, by Jackson, so that quotes, backslashes, control characters and
 * every script reach the servers exactly as the corpus holds them; the escaped newline keeps each
 * body on one line.
 */
final class RequestBodies {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RequestBodies() {}

    static String body(String text) {
        return JSON.writeValueAsString(Map.of("inputs", text));
    }

    /** Writes one body per text to {@code file}, in corpus order; returns {@code file}. */
    static Path write(List<String> texts, Path file) {
        StringBuilder lines = new StringBuilder();
        for (String text : texts) {
            lines.append(body(text)).append('\n');
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the request bodies to " + file, e);
        }
    }
}
