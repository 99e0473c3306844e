package io.embedserve.api;

import io.embedserve.config.ApiKeyProperties;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys the API accepts: API_KEY and the lines of API_KEYS_FILE. Only SHA-256 digests are kept;
 * a presented key is hashed and compared with every digest in constant time
 * ({@link MessageDigest#isEqual}), so neither the length nor the first differing byte of a key
 * shows in the answer time.
 *
 * <p>The file is checked for a change (modified time, size, inode: a Kubernetes Secret update swaps
 * a symlink) before each check, which costs one stat. It fails closed: a file that is deleted,
 * cannot be read or is not UTF-8 text revokes every key it held (API_KEY stays valid), with one
 * error in the log, until it is readable again. At start the same file stops the service instead.
 */
final class ApiKeys {

    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);

    private record FileState(Object fileKey, long modifiedMillis, long size) {}

    private final byte[] fixedKey;
    private final Path file;
    private volatile List<byte[]> fileKeys = List.of();
    /** The file as its keys were read; null while they are revoked (the next check reads again). */
    private volatile FileState fileState;
    /** Why the file's keys are revoked, or null; an unchanged reason is logged once. */
    private String failure;

    ApiKeys(ApiKeyProperties properties) {
        this.fixedKey = properties.key() == null ? null : sha256(properties.key());
        this.file = properties.filePath();
        if (file != null) {
            try {
                FileState state = stat(file);
                fileKeys = read(file);
                fileState = state;
                log.info("API keys: {} key(s) read from {}", fileKeys.size(), file);
            } catch (IOException e) {
                String message = "API_KEYS_FILE (embedserve.api-keys.file) " + file + " " + problem(e);
                log.error("API keys: {}; the service does not start with it", message);
                throw new IllegalStateException(message, e);
            }
        }
    }

    /** False when no key is configured: the API is open. */
    boolean required() {
        return fixedKey != null || file != null;
    }

    boolean accepts(String presented) {
        return match(presented) != null;
    }

    /**
     * The digest of the configured key that {@code presented} is, or null. Every key is compared
     * whatever the outcome, so the answer time does not say which one matched.
     */
    byte[] match(String presented) {
        if (presented == null || presented.isEmpty()) {
            return null;
        }
        reloadIfChanged();
        byte[] digest = sha256(presented);
        byte[] matched = null;
        if (fixedKey != null && MessageDigest.isEqual(fixedKey, digest)) {
            matched = fixedKey;
        }
        for (byte[] key : fileKeys) {
            if (MessageDigest.isEqual(key, digest)) { // no early exit: every key costs the same
                matched = key;
            }
        }
        return matched == null ? null : matched.clone();
    }

    private void reloadIfChanged() {
        if (file == null) {
            return;
        }
        FileState seen;
        try {
            seen = stat(file);
        } catch (IOException e) {
            revoke(problem(e));
            return;
        }
        if (seen.equals(fileState)) {
            return;
        }
        synchronized (this) {
            if (seen.equals(fileState)) {
                return;
            }
            try {
                fileKeys = read(file);
                fileState = seen;
                failure = null;
                log.info("API keys: {} key(s) read from {}", fileKeys.size(), file);
            } catch (IOException e) {
                revoke(problem(e));
            }
        }
    }

    private synchronized void revoke(String why) {
        fileKeys = List.of();
        fileState = null;
        if (!why.equals(failure)) {
            failure = why;
            log.error("API keys: {} {}; its keys are revoked, and a request that needs one is refused (401)"
                    + " until the file is readable again", file, why);
        }
    }

    private static FileState stat(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return new FileState(attributes.fileKey(), attributes.lastModifiedTime().toMillis(), attributes.size());
    }

    private static String problem(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "is gone (deleted or moved away)";
        }
        if (e instanceof AccessDeniedException) {
            return "cannot be read: permission denied";
        }
        if (e instanceof CharacterCodingException) {
            return "is not UTF-8 text";
        }
        return "cannot be read: " + e;
    }

    private static List<byte[]> read(Path file) throws IOException {
        List<byte[]> keys = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
            lines.set(0, lines.get(0).substring(1)); // an editor's byte-order mark is not part of the first key
        }
        for (String line : lines) {
            String key = line.strip();
            if (!key.isEmpty() && !key.startsWith("#")) {
                keys.add(sha256(key));
            }
        }
        if (keys.isEmpty()) {
            log.warn("API keys: {} holds no key; every API request is refused until one is added", file);
        }
        return List.copyOf(keys);
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Objects.requireNonNull(key).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
