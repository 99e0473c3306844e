package io.embedserve.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real model files inside the test jars ({@link RealModel}), copied out once per JVM into a
 * temporary directory that is removed when the JVM exits: ONNX Runtime and the tokenizer need
 * files, not classpath streams.
 */
public final class ModelResources {

    private static final Map<RealModel, Path> EXTRACTED = new EnumMap<>(RealModel.class);

    private ModelResources() {
    }

    /** The model's fp32 ONNX export. */
    public static Path onnxModel(RealModel model) {
        return extractedDirectory(model).resolve("model.onnx");
    }

    /** The model's own tokenizer.json, byte for byte. */
    public static Path tokenizerJson(RealModel model) {
        return extractedDirectory(model).resolve("tokenizer.json");
    }

    private static synchronized Path extractedDirectory(RealModel model) {
        return EXTRACTED.computeIfAbsent(model, m -> {
            Path dir = createTempDirectoryDeletedOnExit("embedserve-" + m.name().toLowerCase(Locale.ROOT) + "-onnx-");
            copyResource(m, m.onnxResource(), dir.resolve("model.onnx"));
            copyResource(m, m.tokenizerResource(), dir.resolve("tokenizer.json"));
            return dir;
        });
    }

    /** Copies one of {@code model}'s classpath resources to {@code target}. */
    static void copyResource(RealModel model, String resource, Path target) {
        try (InputStream in = ModelResources.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath; it comes from "
                        + model.artifact() + " (or from src/test/resources for the Hub's json files)");
            }
            Files.createDirectories(target.getParent());
            Files.copy(in, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + resource + " to " + target, e);
        }
    }

    /** A fresh temporary directory, deleted with its contents by a shutdown hook. */
    public static Path createTempDirectoryDeletedOnExit(String prefix) {
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
