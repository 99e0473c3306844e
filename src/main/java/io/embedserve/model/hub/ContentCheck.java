package io.embedserve.model.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Proves that downloaded bytes are the file the Hub listed: an LFS file by the SHA-256 of its
 * content, a file kept in git by its git blob id (SHA-1 over {@code "blob <size>\0"} and the
 * content, as {@code git hash-object} computes it). A mirror or proxy that serves other bytes,
 * or a download that resumed onto the wrong prefix, cannot pass either.
 */
final class ContentCheck {

    private ContentCheck() {}

    /** The hash the Hub listed for {@code file}, computed over {@code content}; null when they match. */
    static String mismatch(RepoFile file, Path content) throws IOException {
        String actual = file.isLfs() ? sha256(content) : gitBlobId(content);
        String expected = file.isLfs() ? file.sha256() : file.blobId();
        return expected.equals(actual) ? null : actual;
    }

    static String sha256(Path content) throws IOException {
        MessageDigest digest = digest("SHA-256");
        feed(digest, content);
        return HexFormat.of().formatHex(digest.digest());
    }

    static String gitBlobId(Path content) throws IOException {
        MessageDigest digest = digest("SHA-1");
        digest.update(("blob " + Files.size(content) + "\0").getBytes(StandardCharsets.US_ASCII));
        feed(digest, content);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void feed(MessageDigest digest, Path content) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(content), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
    }
}
