package io.embedserve.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.embedserve.testsupport.OnnxGraph.Initializer;
import io.embedserve.testsupport.OnnxGraph.Node;
import io.embedserve.testsupport.OnnxToHuggingFace.Conversion;
import io.embedserve.testsupport.SafetensorsInspector.TensorInfo;
import io.embedserve.testsupport.SafetensorsWriter.Dtype;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks the model directory against what a Hugging Face BERT checkpoint must look like, with
 * expectations spelled out here (names, shapes, file contents) or taken from the ONNX graph
 * directly, not from the conversion code.
 */
class MiniLmFixtureTest {

    private static Path directory;
    private static SafetensorsInspector weights;
    private static OnnxGraph graph;

    @BeforeAll
    static void build() {
        directory = MiniLmFixture.modelDirectory();
        weights = SafetensorsInspector.open(directory.resolve("model.safetensors"));
        graph = OnnxGraph.read(MiniLmResources.onnxModel());
    }

    @Test
    void writesExactlyTheTensorsOfASixLayerBertWithHuggingFaceShapes() {
        Map<String, long[]> expected = sixLayerBertTensors(30522, 384, 1536, 512, 2);

        assertThat(weights.names()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((name, shape) -> {
            assertThat(weights.info(name).shape()).as(name).containsExactly(shape);
            assertThat(weights.info(name).dtype()).as(name).isEqualTo("F32");
        });
    }

    @Test
    void namesEveryFloatInitializerAndLeavesOutOnlyThePositionIdsBuffer() {
        Conversion conversion = OnnxToHuggingFace.convert(graph);

        assertThat(conversion.unmappedFloatInitializers()).isEmpty();
        assertThat(conversion.skippedNonFloatInitializers()).containsExactly("embeddings.position_ids");
        assertThat(graph.initializers()).extracting(Initializer::name).noneMatch(name -> name.startsWith("pooler."));
    }

    /**
     * The exporter's node names ({@code /encoder/layer.0/attention/self/query/MatMul}) say which
     * Linear a MatMul is, independently of the bias-following rule the conversion uses.
     */
    @ParameterizedTest
    @CsvSource({
        "encoder.layer.0.attention.self.query,   /encoder/layer.0/attention/self/query/MatMul",
        "encoder.layer.2.attention.self.value,   /encoder/layer.2/attention/self/value/MatMul",
        "encoder.layer.3.intermediate.dense,     /encoder/layer.3/intermediate/dense/MatMul",
        "encoder.layer.5.output.dense,           /encoder/layer.5/output/dense/MatMul",
    })
    void transposedLinearWeightComputesWhatTheOnnxMatMulComputes(String linear, String matMulNodeName) {
        Node matMul = graph.nodes().stream().filter(n -> n.name().equals(matMulNodeName)).findFirst().orElseThrow();
        Initializer onnxWeight = graph.initializersByName().get(matMul.inputs().get(1)); // (in, out)
        int in = (int) onnxWeight.dims()[0];
        int out = (int) onnxWeight.dims()[1];
        float[] hfWeight = weights.floats(linear + ".weight"); // (out, in)
        float[] x = randomVector(in);

        for (int o = 0; o < out; o++) {
            double viaMatMul = 0; // ONNX: y = x · W, W (in, out)
            double viaLinear = 0; // torch: y = W · x, W (out, in)
            for (int i = 0; i < in; i++) {
                viaMatMul += x[i] * (double) onnxWeight.floats()[i * out + o];
                viaLinear += hfWeight[o * in + i] * (double) x[i];
            }
            assertThat(viaLinear).as("%s output %d", linear, o).isEqualTo(viaMatMul);
        }
    }

    @Test
    void configJsonAgreesWithTheTensorShapes() throws IOException {
        JsonNode config = json(directory.resolve("config.json"));
        long[] words = weights.info("embeddings.word_embeddings.weight").shape();
        long layers = weights.names().stream().filter(n -> n.startsWith("encoder.layer."))
                .map(n -> n.split("\\.")[2]).distinct().count();

        assertThat(config.get("model_type").asString()).isEqualTo("bert");
        assertThat(config.get("vocab_size").longValue()).isEqualTo(words[0]).isEqualTo(30522);
        assertThat(config.get("hidden_size").longValue()).isEqualTo(words[1]).isEqualTo(384);
        assertThat(config.get("num_hidden_layers").longValue()).isEqualTo(layers).isEqualTo(6);
        assertThat(config.get("num_attention_heads").intValue()).isEqualTo(12);
        assertThat(config.get("intermediate_size").longValue())
                .isEqualTo(weights.info("encoder.layer.0.intermediate.dense.weight").shape()[0]).isEqualTo(1536);
        assertThat(config.get("max_position_embeddings").longValue())
                .isEqualTo(weights.info("embeddings.position_embeddings.weight").shape()[0]).isEqualTo(512);
        assertThat(config.get("type_vocab_size").longValue())
                .isEqualTo(weights.info("embeddings.token_type_embeddings.weight").shape()[0]).isEqualTo(2);
        assertThat(config.get("layer_norm_eps").doubleValue()).isEqualTo(1e-12);
        assertThat(config.get("pad_token_id").intValue()).isZero();
        assertThat(config.get("position_embedding_type").asString()).isEqualTo("absolute");
        assertThat(config.get("torch_dtype").asString()).isEqualTo("float32");
    }

    @Test
    void graphComputesTheErfFormOfGeluThatConfigCallsGelu() throws IOException {
        assertThat(graph.nodes()).filteredOn(n -> n.opType().equals("Erf")).hasSize(6); // one per layer
        assertThat(graph.nodes()).noneMatch(n -> n.opType().equals("Tanh"));
        assertThat(json(directory.resolve("config.json")).get("hidden_act").asString()).isEqualTo("gelu");
    }

    @Test
    void sentenceTransformersFilesDescribeMeanPoolingThenNormalize() throws IOException {
        JsonNode modules = json(directory.resolve("modules.json"));
        assertThat(modules.values()).extracting(m -> m.get("type").asString()).containsExactly(
                "sentence_transformers.models.Transformer",
                "sentence_transformers.models.Pooling",
                "sentence_transformers.models.Normalize");
        assertThat(modules.values()).extracting(m -> m.get("path").asString()).containsExactly("", "1_Pooling", "2_Normalize");

        JsonNode pooling = json(directory.resolve("1_Pooling").resolve("config.json"));
        assertThat(pooling.get("word_embedding_dimension").intValue()).isEqualTo(384);
        assertThat(pooling.get("pooling_mode_mean_tokens").booleanValue()).isTrue();
        assertThat(pooling.get("pooling_mode_cls_token").booleanValue()).isFalse();
        assertThat(pooling.get("pooling_mode_max_tokens").booleanValue()).isFalse();
        assertThat(pooling.get("pooling_mode_mean_sqrt_len_tokens").booleanValue()).isFalse();

        JsonNode sentenceBert = json(directory.resolve("sentence_bert_config.json"));
        assertThat(sentenceBert.get("max_seq_length").intValue()).isEqualTo(256);
        assertThat(sentenceBert.get("do_lower_case").booleanValue()).isFalse();
    }

    @Test
    void tokenizerJsonIsTheModelsOwnFile() throws IOException {
        assertThat(Files.mismatch(directory.resolve("tokenizer.json"), MiniLmResources.tokenizerJson())).isEqualTo(-1);
    }

    @Test
    void safetensorsDataIsCoveredBackToBackWithoutGaps() {
        assertThat(weights.metadata()).containsEntry("format", "pt");
        assertThat(weights.headerLength() % 8).isZero();
        long expectedBegin = 0;
        for (TensorInfo info : weights.names().stream().map(weights::info)
                .sorted(Comparator.comparingLong(TensorInfo::begin)).toList()) {
            assertThat(info.begin()).isEqualTo(expectedBegin);
            expectedBegin = info.end();
        }
        assertThat(expectedBegin).isEqualTo(weights.dataLength());
    }

    @ParameterizedTest
    @EnumSource(value = Dtype.class, names = {"F16", "BF16"})
    void halfPrecisionDirectoriesHoldTheSameWeightsRoundedToTheirDtype(Dtype dtype) throws IOException {
        Path halfDirectory = MiniLmFixture.modelDirectory(dtype);
        SafetensorsInspector half = SafetensorsInspector.open(halfDirectory.resolve("model.safetensors"));
        // Half an ulp: 2^-11 relative for F16's 10 mantissa bits, 2^-8 for BF16's 7; F16 subnormals step 2^-24
        double relative = dtype == Dtype.F16 ? 0x1p-11 : 0x1p-8;
        double absolute = dtype == Dtype.F16 ? 0x1p-25 : 0;

        assertThat(half.names()).isEqualTo(weights.names());
        assertThat(json(halfDirectory.resolve("config.json")).get("torch_dtype").asString()).isEqualTo(dtype.torchName());
        for (String name : weights.names()) {
            assertThat(half.info(name).dtype()).isEqualTo(dtype.name());
            assertThat(half.info(name).shape()).isEqualTo(weights.info(name).shape());
            float[] exact = weights.floats(name);
            float[] rounded = half.floats(name);
            for (int i = 0; i < exact.length; i++) {
                double error = Math.abs((double) rounded[i] - exact[i]);
                if (error > Math.abs(exact[i]) * relative + absolute) {
                    throw new AssertionError(name + "[" + i + "]: " + exact[i] + " stored as " + rounded[i]);
                }
            }
        }
    }

    @Test
    void writeModelDirectoryGivesAPrivateCopyOfEveryFile(@TempDir Path target) throws IOException {
        Path copy = MiniLmFixture.writeModelDirectory(target.resolve("snapshot"));

        assertThat(relativeFiles(copy)).isEqualTo(relativeFiles(directory)).contains(
                "config.json", "model.safetensors", "tokenizer.json", "modules.json",
                "sentence_bert_config.json", "1_Pooling/config.json");
        for (String file : relativeFiles(directory)) {
            assertThat(Files.mismatch(copy.resolve(file), directory.resolve(file))).as(file).isEqualTo(-1);
        }
        Files.delete(copy.resolve("model.safetensors"));
        assertThat(directory.resolve("model.safetensors")).exists();
    }

    /** The Hugging Face BertModel schema, spelled out: name to (torch) shape. */
    private static Map<String, long[]> sixLayerBertTensors(long vocab, long hidden, long intermediate,
            long positions, long types) {
        Map<String, long[]> tensors = new LinkedHashMap<>();
        tensors.put("embeddings.word_embeddings.weight", new long[] {vocab, hidden});
        tensors.put("embeddings.position_embeddings.weight", new long[] {positions, hidden});
        tensors.put("embeddings.token_type_embeddings.weight", new long[] {types, hidden});
        tensors.put("embeddings.LayerNorm.weight", new long[] {hidden});
        tensors.put("embeddings.LayerNorm.bias", new long[] {hidden});
        for (int layer = 0; layer < 6; layer++) {
            String prefix = "encoder.layer." + layer + ".";
            for (String projection : new String[] {"query", "key", "value"}) {
                linear(tensors, prefix + "attention.self." + projection, hidden, hidden);
            }
            linear(tensors, prefix + "attention.output.dense", hidden, hidden);
            layerNorm(tensors, prefix + "attention.output.LayerNorm", hidden);
            linear(tensors, prefix + "intermediate.dense", intermediate, hidden);
            linear(tensors, prefix + "output.dense", hidden, intermediate);
            layerNorm(tensors, prefix + "output.LayerNorm", hidden);
        }
        return tensors;
    }

    private static void linear(Map<String, long[]> tensors, String prefix, long out, long in) {
        tensors.put(prefix + ".weight", new long[] {out, in});
        tensors.put(prefix + ".bias", new long[] {out});
    }

    private static void layerNorm(Map<String, long[]> tensors, String prefix, long width) {
        tensors.put(prefix + ".weight", new long[] {width});
        tensors.put(prefix + ".bias", new long[] {width});
    }

    private static float[] randomVector(int length) {
        SplittableRandom random = new SplittableRandom(7);
        float[] vector = new float[length];
        for (int i = 0; i < length; i++) {
            vector[i] = (float) random.nextDouble(-1, 1);
        }
        return vector;
    }

    private static JsonNode json(Path file) throws IOException {
        return JsonMapper.shared().readTree(Files.readString(file));
    }

    private static TreeSet<String> relativeFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(f -> root.relativize(f).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
