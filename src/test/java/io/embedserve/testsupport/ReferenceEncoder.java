package io.embedserve.testsupport;

/**
 * A plain, obviously-correct forward pass in double precision, one sentence at a time (so no
 * padding exists): transformers' BERT/RoBERTa/XLM-R (modeling_bert.py), MPNet (modeling_mpnet.py)
 * and DistilBERT (modeling_distilbert.py) equations written as loops, with no DJL and nothing
 * shared with the encoder under test. Used as the independent reference for checkpoints the tests
 * write themselves ({@link EncoderCheckpoint}).
 */
public final class ReferenceEncoder {

    private final EncoderCheckpoint model;
    private final int hidden;
    private final int heads;

    public ReferenceEncoder(EncoderCheckpoint model) {
        this.model = model;
        this.hidden = model.hiddenSize();
        this.heads = model.numAttentionHeads();
    }

    /** Last hidden state (T × H) for one unpadded sequence, every token of type 0. */
    public double[][] lastHiddenState(long[] ids) {
        return lastHiddenState(ids, new long[ids.length]);
    }

    /** Last hidden state (T × H) for one unpadded sequence with these token type ids. */
    public double[][] lastHiddenState(long[] ids, long[] tokenTypeIds) {
        int length = ids.length;
        String type = model.modelType();
        // BERT and DistilBERT number positions from 0. RoBERTa and XLM-R count real tokens from
        // pad_token_id + 1 (create_position_ids_from_input_ids); MPNetEmbeddings does the same with
        // padding_idx fixed at 1.
        int firstPosition = switch (type) {
            case "bert", "distilbert" -> 0;
            case "mpnet" -> 2;
            default -> model.padTokenId() + 1;
        };
        // MPNet and DistilBERT have no token type embeddings
        boolean tokenTypes = !type.equals("mpnet") && !type.equals("distilbert");
        float[] positions = model.weight("embeddings.position_embeddings.weight");
        double[][] x = new double[length][hidden];
        for (int t = 0; t < length; t++) {
            int position = firstPosition + t;
            float[] word = model.wordEmbedding((int) ids[t]);
            for (int h = 0; h < hidden; h++) {
                x[t][h] = (double) word[h] + positions[position * hidden + h];
            }
            if (tokenTypes) {
                float[] tokenType = model.weight("embeddings.token_type_embeddings.weight");
                int row = (int) tokenTypeIds[t];
                for (int h = 0; h < hidden; h++) {
                    x[t][h] += tokenType[row * hidden + h];
                }
            }
            x[t] = layerNorm(x[t], "embeddings.LayerNorm");
        }
        // MPNetEncoder.compute_position_bias: computed once, added to every layer's scores
        double[][][] bias = type.equals("mpnet") ? relativePositionBias(length) : new double[heads][length][length];
        for (int l = 0; l < model.numHiddenLayers(); l++) {
            x = layer(x, LayerNames.of(type, l), bias);
        }
        return x;
    }

    /** The Hugging Face module names of one encoder layer. */
    record LayerNames(String query, String key, String value, String attentionOutput, String attentionNorm,
            String intermediate, String output, String outputNorm) {

        static LayerNames of(String modelType, int layer) {
            if (modelType.equals("distilbert")) { // TransformerBlock: MultiHeadSelfAttention, FFN
                String p = "transformer.layer." + layer + ".";
                return new LayerNames(p + "attention.q_lin", p + "attention.k_lin", p + "attention.v_lin",
                        p + "attention.out_lin", p + "sa_layer_norm", p + "ffn.lin1", p + "ffn.lin2",
                        p + "output_layer_norm");
            }
            String p = "encoder.layer." + layer + ".";
            if (modelType.equals("mpnet")) { // MPNetLayer: attention.attn = MPNetSelfAttention(q, k, v, o)
                return new LayerNames(p + "attention.attn.q", p + "attention.attn.k", p + "attention.attn.v",
                        p + "attention.attn.o", p + "attention.LayerNorm", p + "intermediate.dense", p + "output.dense",
                        p + "output.LayerNorm");
            }
            return new LayerNames(p + "attention.self.query", p + "attention.self.key", p + "attention.self.value",
                    p + "attention.output.dense", p + "attention.output.LayerNorm", p + "intermediate.dense",
                    p + "output.dense", p + "output.LayerNorm");
        }
    }

    /** bias[head][query][key] = relative_attention_bias[bucket(key - query)][head]. */
    private double[][][] relativePositionBias(int length) {
        float[] table = model.weight("encoder.relative_attention_bias.weight"); // (32, heads)
        double[][][] bias = new double[heads][length][length];
        for (int i = 0; i < length; i++) {
            for (int j = 0; j < length; j++) {
                int bucket = relativePositionBucket(j - i);
                for (int head = 0; head < heads; head++) {
                    bias[head][i][j] = table[bucket * heads + head];
                }
            }
        }
        return bias;
    }

    /**
     * MPNetEncoder.relative_position_bucket(relative_position, num_buckets=32, max_distance=128):
     * keys before the query take buckets 0-15, keys after it 16-31; within each half, distances
     * below 8 have a bucket each and longer ones log-spaced buckets 8-15, the last holding 128 and
     * beyond. transformers computes the log-spaced bucket in float32 and truncates; so does this.
     */
    public static int relativePositionBucket(int relativePosition) {
        int n = -relativePosition;
        int bucket = n < 0 ? 16 : 0;
        n = Math.abs(n);
        if (n < 8) {
            return bucket + n;
        }
        float logRatio = (float) Math.log((float) n / 8f);
        float scaled = logRatio / (float) Math.log(128.0 / 8.0) * 8f;
        return bucket + Math.min(8 + (int) scaled, 15);
    }

    private double[][] layer(double[][] x, LayerNames names, double[][][] bias) {
        int length = x.length;
        int d = hidden / heads;
        double[][] q = linear(x, names.query());
        double[][] k = linear(x, names.key());
        double[][] v = linear(x, names.value());
        double[][] context = new double[length][hidden];
        for (int head = 0; head < heads; head++) {
            for (int i = 0; i < length; i++) {
                double[] scores = new double[length];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < length; j++) {
                    double dot = 0;
                    for (int c = 0; c < d; c++) {
                        dot += q[i][head * d + c] * k[j][head * d + c];
                    }
                    scores[j] = dot / Math.sqrt(d) + bias[head][i][j];
                    max = Math.max(max, scores[j]);
                }
                double sum = 0;
                for (int j = 0; j < length; j++) {
                    scores[j] = Math.exp(scores[j] - max);
                    sum += scores[j];
                }
                for (int j = 0; j < length; j++) {
                    for (int c = 0; c < d; c++) {
                        context[i][head * d + c] += scores[j] / sum * v[j][head * d + c];
                    }
                }
            }
        }
        double[][] attended = addAndNorm(linear(context, names.attentionOutput()), x, names.attentionNorm());
        double[][] inner = linear(attended, names.intermediate());
        for (double[] row : inner) {
            for (int i = 0; i < row.length; i++) {
                row[i] = activation(model.hiddenAct(), row[i]);
            }
        }
        return addAndNorm(linear(inner, names.output()), attended, names.outputNorm());
    }

    private double[][] linear(double[][] x, String prefix) {
        float[] weight = model.weight(prefix + ".weight");
        float[] bias = model.weight(prefix + ".bias");
        int out = bias.length;
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            double[] input = x[t];
            for (int o = 0; o < out; o++) {
                // Four running sums instead of one: the same double-precision products, summed in an
                // order the CPU can overlap, which makes real-width (768, 3072) layers ~3x faster.
                double s0 = bias[o];
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                int row = o * in;
                int i = 0;
                for (; i + 3 < in; i += 4) {
                    s0 += weight[row + i] * input[i];
                    s1 += weight[row + i + 1] * input[i + 1];
                    s2 += weight[row + i + 2] * input[i + 2];
                    s3 += weight[row + i + 3] * input[i + 3];
                }
                for (; i < in; i++) {
                    s0 += weight[row + i] * input[i];
                }
                y[t][o] = (s0 + s1) + (s2 + s3);
            }
        }
        return y;
    }

    private double[][] addAndNorm(double[][] a, double[][] residual, String prefix) {
        double[][] out = new double[a.length][];
        for (int t = 0; t < a.length; t++) {
            double[] sum = new double[hidden];
            for (int h = 0; h < hidden; h++) {
                sum[h] = a[t][h] + residual[t][h];
            }
            out[t] = layerNorm(sum, prefix);
        }
        return out;
    }

    private double[] layerNorm(double[] x, String prefix) {
        float[] gamma = model.weight(prefix + ".weight");
        float[] beta = model.weight(prefix + ".bias");
        double mean = 0;
        for (double value : x) {
            mean += value;
        }
        mean /= x.length;
        double variance = 0;
        for (double value : x) {
            variance += (value - mean) * (value - mean);
        }
        variance /= x.length; // biased, as torch.nn.LayerNorm
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (x[i] - mean) / Math.sqrt(variance + model.layerNormEps()) * gamma[i] + beta[i];
        }
        return out;
    }

    /**
     * transformers' ACT2FN, each from its defining formula (activations.py): "gelu" is GELUActivation,
     * x·Φ(x) with the exact erf; "gelu_new" (NewGELUActivation) and "gelu_pytorch_tanh"
     * (PytorchGELUTanh) are the tanh approximation; "relu" and "tanh" are themselves.
     */
    public static double activation(String name, double x) {
        return switch (name) {
            case "gelu" -> 0.5 * x * (1 + erf(x / Math.sqrt(2)));
            case "gelu_new", "gelu_pytorch_tanh" ->
                    0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case "relu" -> Math.max(0, x);
            case "tanh" -> Math.tanh(x);
            default -> throw new IllegalArgumentException("the reference has no activation " + name);
        };
    }

    /** erf by its Maclaurin series; beyond |z| = 4 erf is 1 within 2e-8. */
    static double erf(double z) {
        if (Math.abs(z) > 4) {
            return Math.signum(z);
        }
        double sum = 0;
        double term = z; // z^(2n+1) (-1)^n / n!
        for (int n = 0; n < 200; n++) {
            double contribution = term / (2 * n + 1);
            sum += contribution;
            if (Math.abs(contribution) < 1e-17) {
                break;
            }
            term = -term * z * z / (n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }

    /** sentence-transformers mean pooling over an unpadded sequence. */
    public static double[] meanPool(double[][] states) {
        double[] out = new double[states[0].length];
        for (double[] row : states) {
            for (int h = 0; h < out.length; h++) {
                out[h] += row[h] / states.length;
            }
        }
        return out;
    }

    /** sentence-transformers pooling by mode name (mean, cls, max, lasttoken), unpadded sequence. */
    public static double[] pool(String mode, double[][] states) {
        return switch (mode) {
            case "mean" -> meanPool(states);
            case "cls" -> states[0].clone();
            case "lasttoken" -> states[states.length - 1].clone();
            case "max" -> {
                double[] out = states[0].clone();
                for (double[] row : states) {
                    for (int h = 0; h < out.length; h++) {
                        out[h] = Math.max(out[h], row[h]);
                    }
                }
                yield out;
            }
            default -> throw new IllegalArgumentException(mode);
        };
    }
}
