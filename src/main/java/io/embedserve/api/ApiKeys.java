package io.embedserve.api;

import io.embedserve.config.ApiKeyProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * shows in the answer time. The file is checked for a change (modified time, size, inode: a
 * Kubernetes Secret update swaps a symlink) before each check, which costs one stat; a file that
 * cannot be read keeps the keys it last had.
 */
final class ApiKeys {

    private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);

    private record FileState(Object fileKey, long modifiedMillis, long size) {}

    private final byte[] fixedKey;
    private final Path file;
    private volatile List<byte[]> fileKeys = List.of();
    private volatile FileState fileState;

    ApiKeys(ApiKeyProperties properties) {
        this.fixedKey = properties.key() == null ? null : sha256(properties.key());
        this.file = properties.filePath();
        if (file != null) {
            reloadIfChanged();
        }
    }

    /** False when no key is configured: the API is open. */
    boolean required() {
        return fixedKey != null || file != null;
    }

    boolean accepts(String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        reloadIfChanged();
        byte[] digest = sha256(presented);
        boolean match = fixedKey != null && MessageDigest.isEqual(fixedKey, digest);
        for (byte[] key : fileKeys) {
            match |= MessageDigest.isEqual(key, digest); // no early exit: every key costs the same
        }
        return match;
    }

    private void reloadIfChanged() {
        if (file == null) {
            return;
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            FileState seen = new FileState(attributes.fileKey(), attributes.lastModifiedTime().toMillis(), attributes.size());
            if (seen.equals(fileState)) {
                return;
            }
            synchronized (this) {
                if (!seen.equals(fileState)) {
                    fileKeys = read(file);
                    fileState = seen;
                    log.info("API keys: {} key(s) read from {}", fileKeys.size(), file);
                }
            }
        } catch (IOException e) {
            if (fileState != null) {
                log.warn("API keys: cannot read {} ({}); the {} key(s) read before stay valid", file, e, fileKeys.size());
                fileState = null; // warn once, retry on the next request
            }
        }
    }

    private static List<byte[]> read(Path file) throws IOException {
        List<byte[]> keys = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
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

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Objects.requireNonNull(key).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
