package io.embedserve.cache;

import io.embedserve.inference.ModelHolder;
import io.embedserve.inference.SentenceModel;
import io.embedserve.model.ModelSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model's part of the cache key, from the loaded model. A hub snapshot is named by its commit,
 * which pins every file. A plain MODEL_PATH directory has no commit (its revision is "local"), and
 * its files can change under the same name, so its revision becomes "sha256:" + a hash of the files
 * the model is read from (every .json and .safetensors). Hashing a large model takes seconds, so it
 * runs on its own thread; until it is done the cache is bypassed (the supplier answers null).
 */
final class ModelKeyContexts implements Supplier<KeyContext> {

    private static final Logger log = LoggerFactory.getLogger(ModelKeyContexts.class);

    private record Resolved(SentenceModel model, KeyContext context) {}

    private final ModelHolder holder;
    private volatile Resolved resolved;

    ModelKeyContexts(ModelHolder holder) {
        this.holder = holder;
    }

    @Override
    public KeyContext get() {
        SentenceModel model = holder.require();
        Resolved current = resolved;
        if (current != null && current.model() == model) {
            return current.context();
        }
        synchronized (this) {
            if (resolved == null || resolved.model() != model) {
                resolve(model);
            }
            return resolved.context();
        }
    }

    private void resolve(SentenceModel model) {
        ModelSnapshot snapshot = model.snapshot();
        String pooling = model.pipeline().pooling().wireName();
        String dtype = model.dtype().wireName();
        int dimensions = model.dimension();
        if (snapshot.pinnedByCommit()) {
            resolved = new Resolved(model, new KeyContext(snapshot.modelId(), snapshot.revision(), pooling, dtype, dimensions));
            return;
        }
        resolved = new Resolved(model, null);
        Thread thread = new Thread(() -> {
            try {
                String revision = fingerprint(snapshot.directory());
                log.info("Embedding cache keys {} by its files: revision {}", snapshot.directory(), revision);
                resolved = new Resolved(model, new KeyContext(snapshot.modelId(), revision, pooling, dtype, dimensions));
            } catch (IOException | RuntimeException e) {
                log.error("Cannot hash the model files in {}; the embedding cache stays off for this model",
                        snapshot.directory(), e);
            }
        }, "embedding-cache-model-hash");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * SHA-256 over the relative path, size and content of every .json and .safetensors file, in
     * path order (the size makes the boundary between one file and the next unambiguous).
     */
    static String fingerprint(Path directory) throws IOException {
        MessageDigest digest = CacheKey.newDigest();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory, 3)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".safetensors"))
                    .sorted()
                    .toList();
        }
        byte[] buffer = new byte[1 << 16];
        for (Path file : files) {
            String relative = directory.relativize(file).toString().replace('\\', '/');
            digest.update(relative.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(java.nio.ByteBuffer.allocate(Long.BYTES).putLong(Files.size(file)).array());
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                while (in.read(buffer) != -1) {
                    // the digest reads along
                }
            }
        }
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }
}
