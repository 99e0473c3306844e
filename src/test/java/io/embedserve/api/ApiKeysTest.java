package io.embedserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.config.ApiKeyProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The key store: API_KEY, API_KEYS_FILE, its rotation without a restart, and failing closed. */
@ExtendWith(OutputCaptureExtension.class)
class ApiKeysTest {

    /** "clé" in ISO-8859-1: the é is byte 0xE9, which no UTF-8 text holds alone. */
    static final byte[] LATIN_1_KEY = {'c', 'l', (byte) 0xE9, '\n'};

    @TempDir
    Path dir;

    @Test
    void withoutKeysTheApiIsOpen() {
        assertThat(new ApiKeys(new ApiKeyProperties(null, null, true)).required()).isFalse();
        assertThat(new ApiKeys(new ApiKeyProperties("  ", "", true)).required()).isFalse();
    }

    @Test
    void acceptsApiKeyAndEveryLineOfTheFileButNothingElse() throws IOException {
        Path file = Files.writeString(dir.resolve("keys"), "# rotated monthly\nfile-key-1\n\n  file-key-2  \n");
        ApiKeys keys = new ApiKeys(new ApiKeyProperties("env-key", file.toString(), true));

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
        ApiKeys keys = new ApiKeys(new ApiKeyProperties(null, file.toString(), true));
        assertThat(keys.accepts("old-key")).isTrue();

        // As Kubernetes updates a mounted Secret: a new file moved into place (a new inode).
        Path next = Files.writeString(dir.resolve("keys.next"), "new-key\n");
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        assertThat(keys.accepts("new-key")).isTrue();
        assertThat(keys.accepts("old-key")).isFalse();
    }

    @Test
    void aDeletedFileRevokesItsKeysWithOneErrorAndApiKeyStaysValid(CapturedOutput output) throws IOException {
        Path file = Files.writeString(dir.resolve("keys"), "file-key\n");
        ApiKeys keys = new ApiKeys(new ApiKeyProperties("env-key", file.toString(), true));
        assertThat(keys.accepts("file-key")).isTrue();
        Files.delete(file);

        assertThat(keys.accepts("file-key")).isFalse();
        assertThat(keys.accepts("file-key")).isFalse();
        assertThat(keys.accepts("env-key")).isTrue();
        assertThat(errorLines(output)).containsExactly(
                "API keys: " + file + " is gone (deleted or moved away); its keys are revoked, and a request that"
                        + " needs one is refused (401) until the file is readable again");

        Files.writeString(file, "file-key\n");
        assertThat(keys.accepts("file-key")).as("the file is back").isTrue();
    }

    @Test
    void aFileRewrittenAsNonUtf8RevokesItsKeysUntilItIsFixed(CapturedOutput output) throws IOException {
        Path file = Files.writeString(dir.resolve("keys"), "good-key\n");
        ApiKeys keys = new ApiKeys(new ApiKeyProperties(null, file.toString(), true));
        Files.write(file, LATIN_1_KEY);

        assertThat(keys.accepts("good-key")).isFalse();
        assertThat(keys.accepts("cl\u00e9")).isFalse();
        assertThat(errorLines(output)).singleElement().asString().contains(file + " is not UTF-8 text");

        Files.writeString(file, "good-key\n", StandardCharsets.UTF_8);
        assertThat(keys.accepts("good-key")).isTrue();
    }

    @Test
    void aFileThatCannotBeReadRevokesItsKeys(CapturedOutput output) throws IOException {
        // A directory in the file's place: unreadable as a file even to root, who ignores permissions.
        Path file = Files.writeString(dir.resolve("keys"), "good-key\n");
        ApiKeys keys = new ApiKeys(new ApiKeyProperties(null, file.toString(), true));
        Files.delete(file);
        Files.createDirectory(file);

        assertThat(keys.accepts("good-key")).isFalse();
        assertThat(errorLines(output)).singleElement().asString().contains(file + " cannot be read");
    }

    @Test
    void aNonUtf8FileStopsStartUpWithALoggedError(CapturedOutput output) throws IOException {
        Path file = Files.write(dir.resolve("keys"), LATIN_1_KEY);

        assertThatThrownBy(() -> new ApiKeys(new ApiKeyProperties(null, file.toString(), true)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("API_KEYS_FILE (embedserve.api-keys.file) " + file + " is not UTF-8 text");
        assertThat(errorLines(output)).containsExactly("API keys: API_KEYS_FILE (embedserve.api-keys.file) " + file
                + " is not UTF-8 text; the service does not start with it");
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstKey() throws IOException {
        Path file = Files.writeString(dir.resolve("keys"), "\uFEFFfirst-key\nsecond-key\n", StandardCharsets.UTF_8);
        ApiKeys keys = new ApiKeys(new ApiKeyProperties(null, file.toString(), true));

        assertThat(keys.accepts("first-key")).isTrue();
        assertThat(keys.accepts("second-key")).isTrue();
    }

    /** The log lines ApiKeys wrote at ERROR, from their "API keys:" on. */
    static List<String> errorLines(CapturedOutput output) {
        return output.getAll().lines().filter(line -> line.contains(" ERROR ") && line.contains("API keys: "))
                .map(line -> line.substring(line.indexOf("API keys: "))).toList();
    }

    @Test
    void anUnreadableFileStopsStartUpWithTheVariableName() {
        assertThatThrownBy(() -> new ApiKeyProperties(null, dir.resolve("missing").toString(), true))
                .hasMessageContaining("API_KEYS_FILE").hasMessageContaining("missing");
    }

    @Test
    void theSettingsNeverPrintTheKey() {
        assertThat(new ApiKeyProperties("s3cret-key", null, true).toString()).doesNotContain("s3cret-key");
    }
}
