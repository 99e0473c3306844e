package io.embedserve.testsupport;

import io.embedserve.testsupport.OnnxToHuggingFace.Conversion;
import io.embedserve.testsupport.OnnxToHuggingFace.HfTensor;
import io.embedserve.testsupport.SafetensorsWriter.Dtype;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real model's snapshot directory as the Hugging Face Hub serves it, rebuilt from the ONNX
 * export in its test jar ({@link RealModel}):
 *
 * <pre>
 * config.json, modules.json, sentence_bert_config.json,
 * config_sentence_transformers.json, 1_Pooling/config.json   the Hub's files (test resources)
 * tokenizer.json      the model's own, byte for byte, truncation/padding blocks and all
 * model.safetensors   the ONNX weights under their Hugging Face names, Linear weights (out, in),
 *                     plus what transformers writes beside them and the ONNX export dropped:
 *                     embeddings.position_ids (I64 [1, 512], arange, as checkpoints saved before
 *                     transformers 4.31 hold it) and BertModel's pooler.dense (unused by
 *                     sentence-transformers; random values of the right shape, since the export
 *                     does not carry it)
 * </pre>
 *
 * The tensor shapes are checked against the published config.json before anything is written.
 * Conversion takes seconds, so each (model, dtype) is built once per JVM into a temporary
 * directory: treat it as read-only, and use {@link #writeModelDirectory} for a copy to change.
 */
public final class RealModelFixture {

    /** The files the Hub holds beside the weights and the tokenizer, as test resources. */
    static final List<String> HUB_FILES = List.of("config.json", "modules.json", "sentence_bert_config.json",
            "config_sentence_transformers.json", "1_Pooling/config.json");

    private static final Map<RealModel, Map<Dtype, Path>> BUILT = new EnumMap<>(RealModel.class);

    private RealModelFixture() {
    }

    /** The shared float32 directory of {@code model}, built on first use. */
    public static Path modelDirectory(RealModel model) {
        return modelDirectory(model, Dtype.F32);
    }

    /** The shared directory of {@code model} with weights stored as {@code dtype}, built on first use. */
    public static synchronized Path modelDirectory(RealModel model, Dtype dtype) {
        return BUILT.computeIfAbsent(model, m -> new EnumMap<>(Dtype.class)).computeIfAbsent(dtype, d -> {
            Path dir = ModelResources.createTempDirectoryDeletedOnExit("embedserve-" + model.resourceName() + "-"
                    + d.name().toLowerCase(Locale.ROOT) + "-");
            build(dir, model, d);
            return dir;
        });
    }

    /** Copies the directory of {@code model} with {@code dtype} weights into {@code target}; returns it. */
    public static Path writeModelDirectory(RealModel model, Path target, Dtype dtype) {
        Path source = modelDirectory(model, dtype);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the " + model.hubId() + " directory to " + target, e);
        }
    }

    private static void build(Path dir, RealModel model, Dtype dtype) {
        Conversion conversion = OnnxToHuggingFace.convert(OnnxGraph.read(ModelResources.onnxModel(model)));
        if (!conversion.unmappedFloatInitializers().isEmpty()) {
            throw new IllegalStateException(model.hubId() + ": ONNX initializers without a Hugging Face name: "
                    + conversion.unmappedFloatInitializers());
        }
        SortedMap<String, HfTensor> tensors = conversion.tensors();
        ObjectNode config = (ObjectNode) JsonMapper.shared().readTree(resourceText(model, "config.json"));
        BertShapes.of(tensors).requireEqual(BertShapes.of(config), model);

        SafetensorsWriter weights = new SafetensorsWriter();
        tensors.values().forEach(t -> weights.add(t.name(), t.shape(), t.data(), dtype));
        int hidden = config.get("hidden_size").intValue();
        int positions = config.get("max_position_embeddings").intValue();
        SplittableRandom random = new SplittableRandom(model.ordinal());
        weights.add("pooler.dense.weight", new long[] {hidden, hidden}, gaussian(random, hidden * hidden), dtype);
        weights.add("pooler.dense.bias", new long[] {hidden}, gaussian(random, hidden), dtype);
        weights.addIntegers("embeddings.position_ids", "I64", new long[] {1, positions},
                LongStream.range(0, positions).toArray());
        try {
            weights.write(dir.resolve("model.safetensors"));
            Files.copy(ModelResources.tokenizerJson(model), dir.resolve("tokenizer.json"));
            for (String file : HUB_FILES) {
                ModelResources.copyResource(model, model.hubFilesResource() + file, dir.resolve(file));
            }
            if (dtype != Dtype.F32) { // what save_pretrained writes for a half-precision checkpoint
                config.put("torch_dtype", dtype.torchName());
                Files.writeString(dir.resolve("config.json"), config.toPrettyString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the " + model.hubId() + " directory " + dir, e);
        }
    }

    private static String resourceText(RealModel model, String file) {
        try (var in = RealModelFixture.class.getResourceAsStream(model.hubFilesResource() + file)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + model.hubFilesResource() + file);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** N(0, 0.02²): transformers' initializer_range, the scale an untrained pooler has. */
    private static float[] gaussian(SplittableRandom random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * 0.02);
        }
        return values;
    }

    /** The config.json numbers that the tensors themselves determine. */
    private record BertShapes(int vocabSize, int hiddenSize, int numHiddenLayers, int intermediateSize,
            int maxPositionEmbeddings, int typeVocabSize) {

        static BertShapes of(SortedMap<String, HfTensor> tensors) {
            long[] words = shape(tensors, "embeddings.word_embeddings.weight"); // (vocab, hidden)
            int layers = 0;
            while (tensors.containsKey("encoder.layer." + layers + ".output.dense.weight")) {
                layers++;
            }
            return new BertShapes((int) words[0], (int) words[1], layers,
                    (int) shape(tensors, "encoder.layer.0.intermediate.dense.weight")[0], // (intermediate, hidden)
                    (int) shape(tensors, "embeddings.position_embeddings.weight")[0], // (positions, hidden)
                    (int) shape(tensors, "embeddings.token_type_embeddings.weight")[0]); // (types, hidden)
        }

        static BertShapes of(JsonNode config) {
            return new BertShapes(config.get("vocab_size").intValue(), config.get("hidden_size").intValue(),
                    config.get("num_hidden_layers").intValue(), config.get("intermediate_size").intValue(),
                    config.get("max_position_embeddings").intValue(), config.get("type_vocab_size").intValue());
        }

        private static long[] shape(SortedMap<String, HfTensor> tensors, String name) {
            HfTensor tensor = tensors.get(name);
            if (tensor == null) {
                throw new IllegalStateException("the converted checkpoint has no " + name);
            }
            return tensor.shape();
        }

        void requireEqual(BertShapes published, RealModel model) {
            if (!equals(published)) {
                throw new IllegalStateException(model.hubId() + ": tensor shapes give " + this
                        + " but the published config.json says " + published);
            }
        }
    }
}
