package io.embedserve.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Lays model files out the way huggingface_hub leaves its cache: {@code models--org--name/refs/main}
 * holding the commit, {@code snapshots/<commit>/<file>} as relative symlinks into
 * {@code blobs/<sha256 of the content>}.
 */
public final class HubCache {

    private HubCache() {}

    /** The repository folder huggingface_hub uses: {@code org/name} becomes {@code models--org--name}. */
    public static String folderOf(String modelId) {
        return "models--" + modelId.replace("/", "--");
    }

    /** A 40-hex commit id that stays the same for {@code modelId} from run to run. */
    public static String commitFor(String modelId) {
        return hex(digest("SHA-1").digest(modelId.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes {@code files} (relative path to content) as one snapshot; returns the repository folder. */
    public static Path write(Path hubCache, String modelId, String commit, Map<String, byte[]> files) {
        try {
            Path repo = startRepository(hubCache, modelId, commit);
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Path blob = repo.resolve("blobs").resolve(hex(digest("SHA-256").digest(file.getValue())));
                Files.write(blob, file.getValue());
                link(repo, commit, file.getKey(), blob);
            }
            return repo;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + modelId + " into " + hubCache, e);
        }
    }

    /**
     * Writes every file under {@code snapshotSource} as one snapshot; returns the repository folder.
     * Blobs are hard links to the source files where the file system allows (the weights of a real
     * model are large), copies otherwise; either way nothing may write to them afterwards.
     */
    public static Path write(Path hubCache, String modelId, String commit, Path snapshotSource) {
        try (Stream<Path> walk = Files.walk(snapshotSource)) {
            Path repo = startRepository(hubCache, modelId, commit);
            List<Path> files = walk.filter(Files::isRegularFile).toList();
            for (Path file : files) {
                Path blob = repo.resolve("blobs").resolve(sha256(file));
                if (!Files.exists(blob)) {
                    try {
                        Files.createLink(blob, file);
                    } catch (IOException | UnsupportedOperationException crossDevice) {
                        Files.copy(file, blob);
                    }
                }
                link(repo, commit, snapshotSource.relativize(file).toString(), blob);
            }
            return repo;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + modelId + " into " + hubCache, e);
        }
    }

    /** The text files of a snapshot, for {@link #write(Path, String, String, Map)}. */
    public static Map<String, byte[]> utf8(Map<String, String> files) {
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        files.forEach((name, text) -> bytes.put(name, text.getBytes(StandardCharsets.UTF_8)));
        return bytes;
    }

    private static Path startRepository(Path hubCache, String modelId, String commit) throws IOException {
        Path repo = hubCache.resolve(folderOf(modelId));
        Files.createDirectories(repo.resolve("blobs"));
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), commit); // no newline, as huggingface_hub writes it
        return repo;
    }

    private static void link(Path repo, String commit, String relativePath, Path blob) throws IOException {
        Path link = repo.resolve("snapshots").resolve(commit).resolve(relativePath);
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, link.getParent().relativize(blob));
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest sha = digest("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return hex(sha.digest());
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
