package io.embedserve.inference.encode;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import io.embedserve.error.ModelLoadException;
import io.embedserve.model.DenseActivation;
import io.embedserve.model.DenseModule;
import io.embedserve.model.EncoderConfig;
import io.embedserve.model.ModelFamily;
import io.embedserve.model.PoolingMode;
import io.embedserve.model.SafetensorsWeights;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The BERT / RoBERTa / XLM-R / MPNet / DistilBERT encoder with its head (sentence-transformers
 * pooling and Dense modules, or a sequence classifier's head) as one TorchScript program
 * ({@code encoder.py}), run by DJL's PyTorch engine as one call per batch: {@link #encode} for
 * sentence embeddings, {@link #classify} for a cross-encoder's logits. Loading packs the program
 * into an archive with the model's config as attributes, compiles it, and binds the checkpoint's
 * tensors to it once. The program and its weights live in the manager given at load.
 */
public final class ScriptEncoder {

    static final String SOURCE = "encoder.py";

    private static final Logger log = LoggerFactory.getLogger(ScriptEncoder.class);

    private final PtSymbolBlock module;
    private final PtNDManager manager;
    private final long padTokenId;
    private final int outputSize;
    private final List<DenseCheck> denseChecks;

    private ScriptEncoder(PtSymbolBlock module, PtNDManager manager, EncoderConfig config, EncoderHead head,
            List<DenseCheck> denseChecks) {
        this.module = module;
        this.manager = manager;
        this.padTokenId = config.padTokenId();
        this.outputSize = head.outputSize(config.hiddenSize());
        this.denseChecks = List.copyOf(denseChecks);
    }

    /**
     * Compiles the program, then takes, shape-checks and binds every tensor of the checkpoint (and of
     * the Dense modules' folders), and proves every dense-layer shape on this CPU
     * ({@link DenseSelfCheck}).
     */
    public static ScriptEncoder load(Path modelDir, EncoderConfig config, EncoderHead head, ComputeDtype dtype,
            NDManager manager) {
        return load(source(), modelDir, config, head, dtype, DenseSelfCheck.Tolerances.of(dtype), manager);
    }

    /**
     * As {@link #load(Path, EncoderConfig, EncoderHead, ComputeDtype, NDManager)}, with another
     * program (benchmarks) and the self-check's tolerances by dtype (tests force its fallback).
     */
    static ScriptEncoder load(String source, Path modelDir, EncoderConfig config, EncoderHead head,
            ComputeDtype dtype, DenseSelfCheck.Tolerances tolerances, NDManager manager) {
        PtNDManager owner = (PtNDManager) manager;
        PtSymbolBlock module = compile(source, attributes(config, head, dtype), owner);
        WeightBinder binder = new WeightBinder(SafetensorsWeights.open(modelDir), config.family(), modelDir);
        Map<String, PtNDArray> tensors = new LinkedHashMap<>(
                binder.take(checkpointShapes(module), shapes(module, "head_shapes"), owner));
        if (head instanceof EncoderHead.SentenceEmbedding embedding) {
            tensors.putAll(denseModuleTensors(module, modelDir, embedding.denseModules(), owner));
        }
        bind(module, tensors);
        long started = System.nanoTime();
        List<DenseCheck> checks = DenseSelfCheck.run(module, dtype, tolerances, owner);
        log.info("Dense self-check: {} shapes x {} batch sizes in {} ms", checks.size(),
                DenseSelfCheck.BATCH_ROWS.length, (System.nanoTime() - started) / 1_000_000);
        return new ScriptEncoder(module, owner, config, head, checks);
    }

    /**
     * Declares the Dense modules to the program, then takes each one's tensors from its own folder's
     * model.safetensors, every tensor in that file accounted for; keys are "folder/name".
     */
    private static Map<String, PtNDArray> denseModuleTensors(PtSymbolBlock module, Path modelDir,
            List<DenseModule> denseModules, PtNDManager owner) {
        for (DenseModule dense : denseModules) {
            try (IValue path = IValue.from(dense.path());
                    IValue in = IValue.from((long) dense.inFeatures());
                    IValue out = IValue.from((long) dense.outFeatures());
                    IValue bias = IValue.from(dense.bias());
                    IValue activation = IValue.from((long) denseActivationCode(dense.activation()))) {
                IValueUtils.runMethod(module, "add_dense_module", path, in, out, bias, activation).close();
            }
        }
        Map<String, long[]> shapes = shapes(module, "module_shapes");
        Map<String, PtNDArray> tensors = new LinkedHashMap<>();
        for (DenseModule dense : denseModules) {
            String folder = dense.path() + "/";
            Map<String, long[]> inFolder = new LinkedHashMap<>();
            shapes.forEach((name, shape) -> {
                if (name.startsWith(folder)) {
                    inFolder.put(name.substring(folder.length()), shape);
                }
            });
            Path directory = modelDir.resolve(dense.path());
            WeightBinder.forModule(SafetensorsWeights.open(directory), directory).take(inFolder, owner)
                    .forEach((name, tensor) -> tensors.put(folder + name, tensor));
        }
        return tensors;
    }

    /** The codes encoder.py's {@code dense_module} switches on. */
    private static int denseActivationCode(DenseActivation activation) {
        return switch (activation) {
            case IDENTITY -> 0;
            case TANH -> 1;
            case RELU -> 2;
            case SIGMOID -> 3;
            case GELU -> 4;
        };
    }

    /** Hands the checkpoint's tensors, by Hugging Face name, to the program's {@code bind}. */
    static void bind(PtSymbolBlock module, Map<String, PtNDArray> tensors) {
        try (IValue argument = IValue.stringMapFrom(tensors)) {
            IValueUtils.runMethod(module, "bind", argument).close();
        }
    }

    /** The load-time check of each distinct dense-layer shape: the path it runs on and its error. */
    public List<DenseCheck> denseChecks() {
        return denseChecks;
    }

    /** {@link #attributes(EncoderConfig, EncoderHead, ComputeDtype)} of a model that pools and stops there. */
    static Map<String, Object> attributes(EncoderConfig config, PoolingMode pooling, ComputeDtype dtype) {
        return attributes(config, EncoderHead.SentenceEmbedding.pooled(pooling), dtype);
    }

    /** Every attribute encoder.py declares, from config.json; the weight lists start empty. */
    static Map<String, Object> attributes(EncoderConfig config, EncoderHead head, ComputeDtype dtype) {
        // a classifier reads the first token itself (classification_head) and never pools
        PoolingMode pooling =
                head instanceof EncoderHead.SentenceEmbedding embedding ? embedding.pooling() : PoolingMode.CLS;
        int numLabels = head instanceof EncoderHead.SequenceClassification classifier ? classifier.numLabels() : 0;
        ActivationFunction activation = ActivationFunction.forName(config.hiddenAct());
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("training", false);
        attributes.put("hidden_size", config.hiddenSize());
        attributes.put("num_hidden_layers", config.numHiddenLayers());
        attributes.put("num_attention_heads", config.numAttentionHeads());
        attributes.put("intermediate_size", config.intermediateSize());
        attributes.put("vocab_size", config.vocabSize());
        attributes.put("max_position_embeddings", config.maxPositionEmbeddings());
        attributes.put("type_vocab_size", config.family().tokenTypeEmbeddings() ? config.typeVocabSize() : 0);
        attributes.put("layer_norm_eps", config.layerNormEps());
        attributes.put("relative_attention_num_buckets", config.relativeAttentionNumBuckets());
        attributes.put("hidden_act", activation.scriptCode);
        attributes.put("architecture", architectureCode(config.family()));
        attributes.put("padding_offset_positions", config.family().paddingOffsetPositions());
        attributes.put("padding_idx", config.paddingIdx());
        attributes.put("pooling_mode", poolingCode(pooling));
        attributes.put("num_labels", numLabels);
        attributes.put("head_index", 0);
        attributes.put("compute_dtype", dtype.scalarType);
        attributes.put("dense_dtype", dtype == ComputeDtype.BFLOAT16 ? 15 : 6);
        for (String list : List.of("embedding_tensors", "token_type_embeddings", "relative_attention_bias",
                "dense_module_paths", "dense_module_shapes", "dense_module_activations", "dense_module_indices",
                "dense_weights", "dense_biases", "dense_packed", "dense_names", "dense_kinds", "dense_paths",
                "reference_weights", "reference_biases", "norm_weights", "norm_biases")) {
            attributes.put(list, List.of());
        }
        attributes.put("activation_post_op", activation.postOp);
        attributes.put("activation_algorithm", activation.algorithm);
        return attributes;
    }

    /** The module tree encoder.py's {@code architecture} names. */
    private static int architectureCode(ModelFamily family) {
        return switch (family) {
            case BERT -> 0;
            case ROBERTA, XLM_ROBERTA -> 1;
            case MPNET -> 2;
            case DISTILBERT -> 3;
        };
    }

    /** The codes encoder.py's {@code pool} switches on. */
    private static int poolingCode(PoolingMode pooling) {
        return switch (pooling) {
            case MEAN -> 0;
            case CLS -> 1;
            case MAX -> 2;
            case LAST_TOKEN -> 3;
        };
    }

    static PtSymbolBlock compile(Map<String, Object> attributes, PtNDManager manager) {
        return compile(source(), attributes, manager);
    }

    /** Packs and compiles {@code source}; a line libtorch refuses is quoted in the exception. */
    static PtSymbolBlock compile(String source, Map<String, Object> attributes, PtNDManager manager) {
        return TorchScriptArchive.load("Encoder", SOURCE, source, attributes, manager);
    }

    static String source() {
        try (InputStream in = ScriptEncoder.class.getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, long[]> checkpointShapes(PtSymbolBlock module) {
        return shapes(module, "checkpoint_shapes");
    }

    /** The {name: shape} map one of the program's *_shapes methods returns. */
    private static Map<String, long[]> shapes(PtSymbolBlock module, String method) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        try (IValue result = IValueUtils.runMethod(module, method)) {
            result.toIValueMap().forEach((name, shape) -> {
                shapes.put(name, shape.toLongArray());
                shape.close();
            });
        }
        return shapes;
    }

    /**
     * Encodes one batch as given: pads it, runs the program once and returns one sentence embedding
     * per sequence, in order.
     */
    public float[][] encode(List<long[]> sequences) {
        PaddedBatch batch = PaddedBatch.of(sequences, padTokenId);
        Shape shape = new Shape(batch.batchSize(), batch.length());
        try (NDManager scope = manager.newSubManager()) {
            PtNDArray ids = (PtNDArray) scope.create(batch.inputIds(), shape); // (B, T)
            PtNDArray mask = (PtNDArray) scope.create(batch.attentionMask(), shape); // (B, T)
            float[] flat;
            try (IValue idsValue = IValue.from(ids);
                    IValue maskValue = IValue.from(mask);
                    IValue pooled = IValueUtils.forward(module, new IValue[] {idsValue, maskValue})) {
                flat = pooled.toTensor((PtNDManager) scope).toFloatArray(); // (B, D)
            }
            return rows(flat, batch.batchSize());
        }
    }

    /**
     * Scores one batch of text pairs as given: pads it, runs the program's {@code classify} once and
     * returns each pair's logits, in order.
     *
     * @param typeIds each sequence's token type ids, as long as the sequence
     */
    public float[][] classify(List<long[]> sequences, List<long[]> typeIds) {
        PaddedBatch batch = PaddedBatch.of(sequences, typeIds, padTokenId);
        Shape shape = new Shape(batch.batchSize(), batch.length());
        try (NDManager scope = manager.newSubManager()) {
            PtNDArray ids = (PtNDArray) scope.create(batch.inputIds(), shape); // (B, T)
            PtNDArray mask = (PtNDArray) scope.create(batch.attentionMask(), shape); // (B, T)
            PtNDArray types = (PtNDArray) scope.create(batch.tokenTypeIds(), shape); // (B, T)
            float[] flat;
            try (IValue idsValue = IValue.from(ids);
                    IValue maskValue = IValue.from(mask);
                    IValue typesValue = IValue.from(types);
                    IValue logits = IValueUtils.runMethod(module, "classify", idsValue, maskValue, typesValue)) {
                flat = logits.toTensor((PtNDManager) scope).toFloatArray(); // (B, num_labels)
            }
            return rows(flat, batch.batchSize());
        }
    }

    /** (B × outputSize) row-major values as B rows. */
    private float[][] rows(float[] flat, int batchSize) {
        float[][] rows = new float[batchSize][];
        for (int b = 0; b < batchSize; b++) {
            rows[b] = Arrays.copyOfRange(flat, b * outputSize, (b + 1) * outputSize);
        }
        return rows;
    }
}
