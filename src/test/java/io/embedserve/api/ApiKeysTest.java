package io.embedserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.config.ApiKeyProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key store: API_KEY, API_KEYS_FILE and its rotation without a restart. */
class ApiKeysTest {

    @TempDir
    Path dir;

    @Test
    void withoutKeysTheApiIsOpen() {
        assertThat(new ApiKeys(new ApiKeyProperties(null, null)).required()).isFalse();
        assertThat(new ApiKeys(new ApiKeyProperties("  ", "")).required()).isFalse();
    }

    @Test
    void acceptsApiKeyAndEveryLineOfTheFileButNothingElse() throws IOException {
        Path file = Files.writeString(dir.resolve("keys"), "# rotated monthly\nfile-key-1\n\n  file-key-2  \n");
        ApiKeys keys = new ApiKeys(new ApiKeyProperties("env-key", file.toString()));

        assertThat(keys.required()).isTrue();
        assertThat(keys.accepts("env-key")).isTrue();
        assertThat(keys.accepts("file-key-1")).isTrue();
        assertThat(keys.accepts("file-key-2")).isTrue();
        assertThat(keys.accepts("# rotated monthly")).isFalse();
        assertThat(keys.accepts("file-key")).isFalse();
        assertThat(keys.accepts("")).isFalse();
        assertThat(keys.accepts(null)).isFalse();
    }

    @Test
    void aRewrittenFileIsReadAgainOnTheNextCheck() throws IOException {
        Path file = Files.writeString(dir.resolve("keys"), "old-key\n");
        ApiKeys keys = new ApiKeys(new ApiKeyProperties(null, file.toString()));
        assertThat(keys.accepts("old-key")).isTrue();

        // As Kubernetes updates a mounted Secret: a new file moved into place (a new inode).
        Path next = Files.writeString(dir.resolve("keys.next"), "new-key\n");
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        assertThat(keys.accepts("new-key")).isTrue();
        assertThat(keys.accepts("old-key")).isFalse();
    }

    @Test
    void aFileThatDisappearsKeepsTheKeysItHad() throws IOException {
        Path file = Files.writeString(dir.resolve("keys"), "kept-key\n");
        ApiKeys keys = new ApiKeys(new ApiKeyProperties(null, file.toString()));
        Files.delete(file);

        assertThat(keys.accepts("kept-key")).isTrue();
    }

    @Test
    void anUnreadableFileStopsStartUpWithTheVariableName() {
        assertThatThrownBy(() -> new ApiKeyProperties(null, dir.resolve("missing").toString()))
                .hasMessageContaining("API_KEYS_FILE").hasMessageContaining("missing");
    }

    @Test
    void theSettingsNeverPrintTheKey() {
        assertThat(new ApiKeyProperties("s3cret-key", null).toString()).doesNotContain("s3cret-key");
    }
}
