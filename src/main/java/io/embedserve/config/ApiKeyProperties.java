package io.embedserve.config;

import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The API keys the public port accepts. With neither key setting the API is open, as TEI is without
 * --api-key, but only where that cannot happen by accident: the service then starts only if its API
 * listens on loopback alone or {@code required} is false. Neither key is ever logged.
 *
 * @param key one key, as TEI's API_KEY
 * @param file a file of keys, one per line (blank lines and lines starting with # are skipped),
 *     re-read whenever it changes, so keys rotate without a restart; a deleted or unreadable file
 *     revokes its keys
 * @param required true refuses to start with no key on an address other than loopback; false says
 *     an open API is meant (a trusted network, or a proxy in front that checks callers)
 */
@ConfigurationProperties("embedserve.api-keys")
public record ApiKeyProperties(
        @EnvironmentVariable("API_KEY") String key,
        @EnvironmentVariable("API_KEYS_FILE") String file,
        @EnvironmentVariable("API_KEY_REQUIRED") @DefaultValue("true") boolean required) {

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
        return "ApiKeyProperties[key=" + (key == null ? "unset" : "(set)") + ", file=" + file
                + ", required=" + required + "]";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
