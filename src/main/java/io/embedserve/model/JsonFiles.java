package io.embedserve.model;

import io.embedserve.error.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the model's small JSON files, turning every failure into a message that names the file. */
final class JsonFiles {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private JsonFiles() {}

    static JsonNode read(Path file) {
        try {
            JsonNode node = MAPPER.readTree(Files.readAllBytes(file));
            if (node == null || !node.isObject() && !node.isArray()) {
                throw new ModelLoadException(file + " is not a JSON object or array.");
            }
            return node;
        } catch (IOException | JacksonException e) {
            throw new ModelLoadException(
                    "Cannot read " + file + ": " + e.getMessage()
                            + ". The file is corrupt or incomplete: download the model again.",
                    e);
        }
    }

    /** Reads {@code file} if it exists, else returns null. */
    static JsonNode readIfPresent(Path file) {
        return Files.isRegularFile(file) ? read(file) : null;
    }

    static JsonNode parse(byte[] json, String what) {
        try {
            return MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new ModelLoadException("Cannot parse " + what + ": " + e.getOriginalMessage(), e);
        }
    }
}
