package io.embedserve.bench;

import ai.djl.ndarray.NDManager;
import io.embedserve.inference.SentenceModel;
import io.embedserve.inference.encode.ComputeDtype;
import io.embedserve.inference.encode.ScriptEncoder;
import io.embedserve.inference.encode.ScriptPrograms;
import io.embedserve.inference.tokenize.Truncation;
import io.embedserve.inference.TruncationDirection;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.RealModel;
import io.embedserve.testsupport.RealModelFixture;
import io.embedserve.testsupport.RetrievalCorpus;
import io.embedserve.testsupport.Sentences;
import io.embedserve.testsupport.Vectors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * How much of the encoder can run in bfloat16 and keep the vectors within the stated bound (cosine
 * ≥ 0.9995 to float32): on the real checkpoints, each line below keeps the line before it in
 * bfloat16 and adds one more part, and prints the smallest and the mean cosine to float32 over 1,000
 * retrieval-shaped texts and the varied-script sentences.
 *
 * <ol>
 *   <li>the dense layers (what {@code DTYPE=bfloat16} does today)
 *   <li>+ attention: {@code scaled_dot_product_attention} on bfloat16 queries, keys, values and mask
 *   <li>+ the residual sums and every LayerNorm: each LayerNorm takes its input (the residual sum)
 *       and weights in bfloat16 and gives bfloat16
 * </ol>
 *
 * Each line is the service's own encoder.py with those statements changed ({@link #program}). The
 * dense layers round their input, weight, bias and output to bfloat16 around a float32 product,
 * which is what oneDNN's bfloat16 kernels compute (float32 accumulation), so the lines run on any
 * CPU; attention and LayerNorm use PyTorch's own bfloat16 kernels. This measures fidelity only:
 * speed needs a CPU with bfloat16 instructions ({@code bench/engine.sh --dtypes bfloat16}).
 *
 * <pre>bench/bfloat-lines.sh [--count 1000] [--models all-minilm-l6-v2,bge-small-en-v1.5,e5-small-v2]</pre>
 */
public final class BfloatLinesBenchmark {

    private static final String USAGE = "BfloatLinesBenchmark [--count 1000] [--models all-minilm-l6-v2,bge-small-en-v1.5,e5-small-v2]";

    static final List<String> LINES = List.of("dense layers", "+ attention", "+ residual sums and LayerNorm");

    private static final String DENSE = "    return ops.mkldnn._linear_pointwise(x.to(self.dense_dtype), self.dense_weights[index],"
            + " self.dense_biases[index], \"none\", [], \"\")";
    private static final String DENSE_ACTIVATED = "    return ops.mkldnn._linear_pointwise(x.to(self.dense_dtype),"
            + " self.dense_weights[index], self.dense_biases[index], self.activation_post_op, [], self.activation_algorithm)";
    private static final String ROUNDED_PRODUCT = "torch.linear(self.bf16(x), self.bf16(self.dense_weights[index]),"
            + " self.bf16(self.dense_biases[index]))";
    private static final String DENSE_DEFINITION = "  def dense(self, x: Tensor, index: int) -> Tensor:\n";
    private static final String ROUNDING_DEFINITION = "  def bf16(self, x: Tensor) -> Tensor:\n"
            + "    # float32 rounded to the nearest bfloat16\n"
            + "    return x.to(15).to(6)\n\n";

    private BfloatLinesBenchmark() {}

    public static void main(String[] args) throws IOException {
        BenchArgs flags = BenchArgs.parse(args, BenchArgs.defaults("count", "1000",
                "models", "all-minilm-l6-v2,bge-small-en-v1.5,e5-small-v2"), USAGE);
        System.out.println("# BfloatLinesBenchmark " + flags.describe());
        System.out.println(MachineInfo.describe());
        List<String> texts = new ArrayList<>(RetrievalCorpus.texts(flags.integer("count"), 7));
        texts.addAll(Sentences.VARIED);
        String encoder = encoderSource();
        System.out.println("| model | texts | " + String.join(" | ", LINES) + " |");
        System.out.println("|---|---:|" + "---:|".repeat(LINES.size()));
        for (String name : flags.string("models").split(",")) {
            RealModel real = Arrays.stream(RealModel.values())
                    .filter(m -> m.resourceName().equals(name.strip())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no real model named " + name + "; " + USAGE));
            ModelSnapshot snapshot = new ModelSnapshot(RealModelFixture.modelDirectory(real), real.resourceName(), "local");
            // The candidates are bound as bfloat16 models, so that the dense layers' load-time self-check
            // measures them against the bfloat16 bound (the float32 one would send them to the float32 path).
            try (SentenceModel model = SentenceModel.load(snapshot, null, ComputeDtype.FLOAT32);
                    SentenceModel bfloat16 = SentenceModel.load(snapshot, null, ComputeDtype.BFLOAT16);
                    NDManager weights = NDManager.newBaseManager("PyTorch")) {
                List<List<long[]>> batches = BatchingBenchmark.sortedBatches(ids(model, texts), 32);
                List<float[]> float32 = encodeAll(model::encodeBatch, batches);
                StringBuilder row = new StringBuilder("| " + real.resourceName() + " | " + float32.size() + " |");
                for (int line = 1; line <= LINES.size(); line++) {
                    ScriptEncoder candidate = ScriptPrograms.encoder(program(encoder, line), bfloat16, weights);
                    List<float[]> rounded = encodeAll(candidate::encode, batches);
                    double min = 1;
                    double sum = 0;
                    for (int i = 0; i < rounded.size(); i++) {
                        double cosine = Vectors.cosine(rounded.get(i), Vectors.toDouble(float32.get(i)));
                        min = Math.min(min, cosine);
                        sum += cosine;
                    }
                    row.append(String.format(" %.6f (mean %.7f) |", min, sum / rounded.size()));
                }
                System.out.println(row);
            }
        }
    }

    /**
     * encoder.py with lines 1 to {@code line} of the list above in bfloat16. Fails if a statement it
     * changes is no longer in the program, so that the benchmark cannot measure an unchanged one.
     */
    static String program(String encoder, int line) {
        String program = replaceOnce(encoder, DENSE, "    return self.bf16(" + ROUNDED_PRODUCT + ")");
        program = replaceOnce(program, DENSE_ACTIVATED, "    return self.bf16(self.activation(" + ROUNDED_PRODUCT + "))");
        program = replaceOnce(program, DENSE_DEFINITION, ROUNDING_DEFINITION + DENSE_DEFINITION);
        if (line >= 2) {
            program = replaceOnce(program, "torch.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], mask)",
                    "torch.scaled_dot_product_attention(qkv[0].to(15), qkv[1].to(15), qkv[2].to(15), mask.to(15)).to(6)");
        }
        if (line >= 3) {
            program = replaceOnce(program, "torch.layer_norm(summed, [self.hidden_size], self.embedding_tensors[2],"
                    + " self.embedding_tensors[3], self.layer_norm_eps)", "torch.layer_norm(summed.to(15), [self.hidden_size],"
                    + " self.embedding_tensors[2].to(15), self.embedding_tensors[3].to(15), self.layer_norm_eps).to(6)");
            for (String index : List.of("2 * layer", "2 * layer + 1")) {
                program = replaceOnce(program, "torch.layer_norm(output, [self.hidden_size], self.norm_weights[" + index
                        + "], self.norm_biases[" + index + "], self.layer_norm_eps)", "torch.layer_norm(output.to(15),"
                        + " [self.hidden_size], self.norm_weights[" + index + "].to(15), self.norm_biases[" + index
                        + "].to(15), self.layer_norm_eps).to(6)");
            }
        }
        return program;
    }

    private static String replaceOnce(String text, String statement, String replacement) {
        int at = text.indexOf(statement);
        if (at < 0 || text.indexOf(statement, at + 1) >= 0) {
            throw new IllegalStateException("encoder.py no longer holds exactly one `" + statement + "`");
        }
        return text.substring(0, at) + replacement + text.substring(at + statement.length());
    }

    static String encoderSource() {
        try (InputStream in = ScriptEncoder.class.getResourceAsStream("encoder.py")) {
            if (in == null) {
                throw new IllegalStateException("encoder.py is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<long[]> ids(SentenceModel model, List<String> texts) {
        int maxLength = model.pipeline().maxSeqLength();
        return texts.stream()
                .map(text -> Truncation.truncate(model.tokenizer().encode(text), maxLength, TruncationDirection.RIGHT))
                .toList();
    }

    private static List<float[]> encodeAll(Function<List<long[]>, float[][]> encoder,
            List<List<long[]>> batches) {
        List<float[]> vectors = new ArrayList<>();
        for (List<long[]> batch : batches) {
            vectors.addAll(List.of(encoder.apply(batch)));
        }
        return vectors;
    }
}
