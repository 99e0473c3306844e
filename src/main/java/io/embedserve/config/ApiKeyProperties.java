package io.embedserve.config;

import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The API keys the public port accepts. With neither set the API is open, as TEI is without
 * --api-key. Neither value is ever logged.
 *
 * @param key one key, as TEI's API_KEY
 * @param file a file of keys, one per line (blank lines and lines starting with # are skipped),
 *     re-read whenever it changes, so keys rotate without a restart
 */
@ConfigurationProperties("embedserve.api-keys")
public record ApiKeyProperties(
        @EnvironmentVariable("API_KEY") String key,
        @EnvironmentVariable("API_KEYS_FILE") String file) {

    public ApiKeyProperties {
        key = blankToNull(key);
        file = blankToNull(file);
        if (file != null && !Files.isReadable(Path.of(file))) {
            throw new IllegalArgumentException(
                    "API_KEYS_FILE (embedserve.api-keys.file) names " + file + ", which is not a readable file");
        }
    }

    public boolean configured() {
        return key != null || file != null;
    }

    public Path filePath() {
        return file == null ? null : Path.of(file);
    }

    /** A record's own toString would print the key into any log or error that shows the settings. */
    @Override
    public String toString() {
        return "ApiKeyProperties[key=" + (key == null ? "unset" : "(set)") + ", file=" + file + "]";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
