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
import io.embedserve.model.PoolingMode;
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
 * Checks each real model's directory against what the Hub's snapshot of it holds, with expectations
 * spelled out here (names, shapes, file contents) or taken from the ONNX graph directly, not from
 * the conversion code. all-MiniLM-L6-v2 is checked in most detail; the other two share its path.
 */
class RealModelFixtureTest {

    private static Path directory;
    private static SafetensorsInspector weights;
    private static OnnxGraph graph;

    @BeforeAll
    static void build() {
        directory = MiniLmFixture.modelDirectory();
        weights = SafetensorsInspector.open(directory.resolve("model.safetensors"));
        graph = graphOf(RealModel.ALL_MINILM_L6_V2);
    }

    private static final Map<RealModel, OnnxGraph> GRAPHS = new java.util.EnumMap<>(RealModel.class);

    /** Parsing a 130 MB graph takes seconds: once per model. */
    private static synchronized OnnxGraph graphOf(RealModel model) {
        return GRAPHS.computeIfAbsent(model, m -> OnnxGraph.read(ModelResources.onnxModel(m)));
    }

    private static SafetensorsInspector weightsOf(RealModel model) {
        return SafetensorsInspector.open(RealModelFixture.modelDirectory(model).resolve("model.safetensors"));
    }

    @ParameterizedTest
    @EnumSource(RealModel.class)
    void writesExactlyTheTensorsOfTheHubCheckpointWithHuggingFaceShapes(RealModel model) {
        SafetensorsInspector tensors = weightsOf(model);
        Map<String, long[]> expected = bertTensors(model.layers(), 30522, 384, 1536, 512, 2);
        linear(expected, "pooler.dense", 384, 384); // BertModel's pooler, which the Hub files keep

        assertThat(tensors.names()).containsExactlyInAnyOrderElementsOf(
                concat(expected.keySet(), "embeddings.position_ids"));
        expected.forEach((name, shape) -> {
            assertThat(tensors.info(name).shape()).as(name).containsExactly(shape);
            assertThat(tensors.info(name).dtype()).as(name).isEqualTo("F32");
        });
    }

    @ParameterizedTest
    @EnumSource(RealModel.class)
    void holdsThePositionIdBufferAsCheckpointsSavedBeforeTransformers431Do(RealModel model) {
        SafetensorsInspector tensors = weightsOf(model);
        TensorInfo positionIds = tensors.info("embeddings.position_ids");

        assertThat(positionIds.dtype()).isEqualTo("I64");
        assertThat(positionIds.shape()).containsExactly(1, 512);
        long[] values = tensors.longs("embeddings.position_ids");
        for (int i = 0; i < values.length; i++) {
            assertThat(values[i]).isEqualTo(i);
        }
    }

    @ParameterizedTest
    @EnumSource(RealModel.class)
    void namesEveryFloatInitializerAndLeavesOutAtMostThePositionIdsBuffer(RealModel model) {
        OnnxGraph onnx = graphOf(model);
        Conversion conversion = OnnxToHuggingFace.convert(onnx);

        assertThat(conversion.unmappedFloatInitializers()).isEmpty();
        assertThat(conversion.skippedNonFloatInitializers()).isSubsetOf("embeddings.position_ids");
        assertThat(onnx.initializers()).extracting(Initializer::name).noneMatch(name -> name.startsWith("pooler."));
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

    @ParameterizedTest
    @EnumSource(RealModel.class)
    void configJsonAgreesWithTheTensorShapes(RealModel model) throws IOException {
        Path dir = RealModelFixture.modelDirectory(model);
        SafetensorsInspector tensors = weightsOf(model);
        JsonNode config = json(dir.resolve("config.json"));
        long[] words = tensors.info("embeddings.word_embeddings.weight").shape();
        long layers = tensors.names().stream().filter(n -> n.startsWith("encoder.layer."))
                .map(n -> n.split("\\.")[2]).distinct().count();

        assertThat(config.get("model_type").asString()).isEqualTo("bert");
        assertThat(config.get("vocab_size").longValue()).isEqualTo(words[0]).isEqualTo(30522);
        assertThat(config.get("hidden_size").longValue()).isEqualTo(words[1]).isEqualTo(384);
        assertThat(config.get("num_hidden_layers").longValue()).isEqualTo(layers).isEqualTo(model.layers());
        assertThat(config.get("num_attention_heads").intValue()).isEqualTo(12);
        assertThat(config.get("intermediate_size").longValue())
                .isEqualTo(tensors.info("encoder.layer.0.intermediate.dense.weight").shape()[0]).isEqualTo(1536);
        assertThat(config.get("max_position_embeddings").longValue())
                .isEqualTo(tensors.info("embeddings.position_embeddings.weight").shape()[0]).isEqualTo(512);
        assertThat(config.get("type_vocab_size").longValue())
                .isEqualTo(tensors.info("embeddings.token_type_embeddings.weight").shape()[0]).isEqualTo(2);
        assertThat(config.get("layer_norm_eps").doubleValue()).isEqualTo(1e-12);
        assertThat(config.get("pad_token_id").intValue()).isZero();
        assertThat(config.get("position_embedding_type").asString()).isEqualTo("absolute");
    }

    @ParameterizedTest
    @EnumSource(RealModel.class)
    void graphComputesTheErfFormOfGeluThatConfigCallsGelu(RealModel model) throws IOException {
        OnnxGraph onnx = graphOf(model);
        assertThat(onnx.nodes()).filteredOn(n -> n.opType().equals("Erf")).hasSize(model.layers()); // one per layer
        assertThat(onnx.nodes()).noneMatch(n -> n.opType().equals("Tanh"));
        assertThat(json(RealModelFixture.modelDirectory(model).resolve("config.json")).get("hidden_act").asString())
                .isEqualTo("gelu");
    }

    @ParameterizedTest
    @EnumSource(RealModel.class)
    void sentenceTransformersFilesDescribeThePublishedPipeline(RealModel model) throws IOException {
        Path dir = RealModelFixture.modelDirectory(model);
        JsonNode modules = json(dir.resolve("modules.json"));
        assertThat(modules.values()).extracting(m -> m.get("type").asString()).containsExactly(
                "sentence_transformers.models.Transformer",
                "sentence_transformers.models.Pooling",
                "sentence_transformers.models.Normalize");
        assertThat(modules.values()).extracting(m -> m.get("path").asString()).containsExactly("", "1_Pooling", "2_Normalize");

        JsonNode pooling = json(dir.resolve("1_Pooling").resolve("config.json"));
        assertThat(pooling.get("word_embedding_dimension").intValue()).isEqualTo(384);
        assertThat(pooling.get("pooling_mode_mean_tokens").booleanValue()).isEqualTo(model.pooling() == PoolingMode.MEAN);
        assertThat(pooling.get("pooling_mode_cls_token").booleanValue()).isEqualTo(model.pooling() == PoolingMode.CLS);
        assertThat(pooling.get("pooling_mode_max_tokens").booleanValue()).isFalse();
        assertThat(pooling.get("pooling_mode_mean_sqrt_len_tokens").booleanValue()).isFalse();

        JsonNode sentenceBert = json(dir.resolve("sentence_bert_config.json"));
        assertThat(sentenceBert.get("max_seq_length").intValue()).isEqualTo(model.maxSeqLength());

        JsonNode prompts = json(dir.resolve("config_sentence_transformers.json")).path("prompts");
        assertThat(prompts.propertyNames()).containsExactlyInAnyOrderElementsOf(model.prompts().keySet());
        model.prompts().forEach((name, text) -> assertThat(prompts.get(name).asString()).isEqualTo(text));
    }

    @ParameterizedTest
    @EnumSource(RealModel.class)
    void tokenizerJsonIsTheModelsOwnFile(RealModel model) throws IOException {
        Path dir = RealModelFixture.modelDirectory(model);
        assertThat(Files.mismatch(dir.resolve("tokenizer.json"), ModelResources.tokenizerJson(model))).isEqualTo(-1);
    }

    /** all-MiniLM-L6-v2's tokenizer.json truncates at 128 and pads to 128, though max_seq_length is 256. */
    @Test
    void miniLmTokenizerJsonKeepsItsOwnTruncationAndPaddingBlocks() throws IOException {
        JsonNode tokenizer = json(directory.resolve("tokenizer.json"));
        assertThat(tokenizer.get("truncation").get("max_length").intValue()).isEqualTo(128);
        assertThat(tokenizer.get("padding").get("strategy").get("Fixed").intValue()).isEqualTo(128);
        assertThat(json(directory.resolve("sentence_bert_config.json")).get("max_seq_length").intValue()).isEqualTo(256);
    }

    @Test
    void hubCacheLayoutLinksEverySnapshotFileToABlobNamedByItsSha256(@TempDir Path hubCache) throws Exception {
        String commit = HubCache.commitFor(RealModel.ALL_MINILM_L6_V2.hubId());
        Path repo = HubCache.write(hubCache, RealModel.ALL_MINILM_L6_V2.hubId(), commit, directory);

        assertThat(repo.getFileName().toString()).isEqualTo("models--sentence-transformers--all-MiniLM-L6-v2");
        assertThat(Files.readString(repo.resolve("refs/main"))).isEqualTo(commit).matches("[0-9a-f]{40}");
        Path snapshot = repo.resolve("snapshots").resolve(commit);
        assertThat(relativeFiles(snapshot)).isEqualTo(relativeFiles(directory));
        for (String file : relativeFiles(directory)) {
            Path link = snapshot.resolve(file);
            assertThat(Files.isSymbolicLink(link)).as(file).isTrue();
            Path target = link.getParent().resolve(Files.readSymbolicLink(link)).normalize();
            assertThat(target.getParent()).isEqualTo(repo.resolve("blobs"));
            assertThat(target.getFileName().toString()).isEqualTo(java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(directory.resolve(file)))));
        }
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
        assertThat(half.info("embeddings.position_ids").dtype()).isEqualTo("I64");
        for (String name : weights.names()) {
            if (name.equals("embeddings.position_ids")) {
                continue; // a buffer: integers, whatever the weights' dtype
            }
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
    private static Map<String, long[]> bertTensors(int layers, long vocab, long hidden, long intermediate,
            long positions, long types) {
        Map<String, long[]> tensors = new LinkedHashMap<>();
        tensors.put("embeddings.word_embeddings.weight", new long[] {vocab, hidden});
        tensors.put("embeddings.position_embeddings.weight", new long[] {positions, hidden});
        tensors.put("embeddings.token_type_embeddings.weight", new long[] {types, hidden});
        tensors.put("embeddings.LayerNorm.weight", new long[] {hidden});
        tensors.put("embeddings.LayerNorm.bias", new long[] {hidden});
        for (int layer = 0; layer < layers; layer++) {
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

    private static java.util.List<String> concat(java.util.Collection<String> names, String more) {
        java.util.List<String> all = new java.util.ArrayList<>(names);
        all.add(more);
        return all;
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
