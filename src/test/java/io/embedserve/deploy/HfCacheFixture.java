package io.embedserve.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A tiny model laid out the way huggingface_hub leaves its cache: content-addressed blobs,
 * snapshots/&lt;commit&gt;/ entries as relative symlinks into blobs/, and refs/main.
 */
final class HfCacheFixture {

    static final String MODEL_ID = "sentence-transformers/tiny-test-model";
    static final String FOLDER = "models--sentence-transformers--tiny-test-model";
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    private HfCacheFixture() {}

    /** Writes the model under {@code hubCache} and returns its repository folder. */
    static Path write(Path hubCache) throws IOException {
        Path repo = hubCache.resolve(FOLDER);
        Files.createDirectories(repo.resolve("blobs"));
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), COMMIT);
        byte[] weights = new byte[3 * 1024 * 1024];
        new Random(42).nextBytes(weights);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("config.json", utf8("{\"model_type\": \"bert\", \"hidden_size\": 8}"));
        files.put("tokenizer.json", utf8("{\"version\": \"1.0\"}"));
        files.put("modules.json", utf8("[{\"idx\": 0, \"type\": \"sentence_transformers.models.Transformer\"}]"));
        files.put("sentence_bert_config.json", utf8("{\"max_seq_length\": 128}"));
        files.put("1_Pooling/config.json", utf8("{\"pooling_mode_mean_tokens\": true}"));
        files.put("model.safetensors", weights);
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path blob = repo.resolve("blobs").resolve(sha256(file.getValue()));
            Files.write(blob, file.getValue());
            Path link = repo.resolve("snapshots").resolve(COMMIT).resolve(file.getKey());
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, link.getParent().relativize(blob));
        }
        return repo;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
