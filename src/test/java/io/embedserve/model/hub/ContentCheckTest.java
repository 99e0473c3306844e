package io.embedserve.model.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.FakeHub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two hashes a download is checked against, on values published by git and by NIST. */
class ContentCheckTest {

    // `git hash-object` of an empty file and of "hello world\n" (git's own documentation and tests).
    static final String GIT_EMPTY = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";
    static final String GIT_HELLO = "3b18e512dba79e4c8300dd08aeb37f8e728b8dad";
    // FIPS 180-2, appendix B.1: SHA-256("abc").
    static final String SHA256_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @TempDir
    Path tmp;

    @Test
    void gitBlobIdIsWhatGitHashObjectPrints() throws IOException {
        assertThat(ContentCheck.gitBlobId(write("empty", ""))).isEqualTo(GIT_EMPTY);
        assertThat(ContentCheck.gitBlobId(write("hello", "hello world\n"))).isEqualTo(GIT_HELLO);
        // The fake Hub lists its files with the same ids as the real one.
        assertThat(FakeHub.gitBlobId("hello world\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo(GIT_HELLO);
    }

    @Test
    void sha256IsTheStandardDigest() throws IOException {
        assertThat(ContentCheck.sha256(write("abc", "abc"))).isEqualTo(SHA256_ABC);
        assertThat(FakeHub.sha256("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(SHA256_ABC);
    }

    @Test
    void anLfsFileIsCheckedBySha256AndAGitFileByBlobId() throws IOException {
        Path abc = write("abc", "abc");
        Path hello = write("hello", "hello world\n");

        assertThat(ContentCheck.mismatch(new RepoFile("w.safetensors", 3, GIT_EMPTY, SHA256_ABC), abc)).isNull();
        assertThat(ContentCheck.mismatch(new RepoFile("w.safetensors", 12, GIT_EMPTY, SHA256_ABC), hello))
                .isEqualTo(ContentCheck.sha256(hello));
        assertThat(ContentCheck.mismatch(new RepoFile("config.json", 12, GIT_HELLO, null), hello)).isNull();
        assertThat(ContentCheck.mismatch(new RepoFile("config.json", 3, GIT_HELLO, null), abc)).isNotNull();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(tmp.resolve(name), content, StandardCharsets.US_ASCII);
    }
}
