package io.embedserve.testsupport;

/**
 * A plain, obviously-correct forward pass in double precision, one sentence at a time (so no
 * padding exists): transformers' BERT/RoBERTa/XLM-R equations written as loops, with no DJL and
 * nothing shared with the encoder under test. Used as the independent reference for checkpoints
 * the tests write themselves ({@link EncoderCheckpoint}).
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

    /** Last hidden state (T × H) for one unpadded sequence. */
    public double[][] lastHiddenState(long[] ids) {
        int length = ids.length;
        // RoBERTa and XLM-R: positions count real tokens from pad_token_id + 1 (create_position_ids_from_input_ids).
        boolean paddingOffset = !model.modelType().equals("bert");
        float[] positions = model.weight("embeddings.position_embeddings.weight");
        float[] tokenType = model.weight("embeddings.token_type_embeddings.weight"); // row 0: every token is type 0
        double[][] x = new double[length][hidden];
        for (int t = 0; t < length; t++) {
            int position = paddingOffset ? model.padTokenId() + 1 + t : t;
            float[] word = model.wordEmbedding((int) ids[t]);
            for (int h = 0; h < hidden; h++) {
                x[t][h] = (double) word[h] + positions[position * hidden + h] + tokenType[h];
            }
            x[t] = layerNorm(x[t], "embeddings.LayerNorm");
        }
        for (int l = 0; l < model.numHiddenLayers(); l++) {
            x = layer(x, "encoder.layer." + l + ".");
        }
        return x;
    }

    private double[][] layer(double[][] x, String p) {
        int length = x.length;
        int d = hidden / heads;
        double[][] q = linear(x, p + "attention.self.query");
        double[][] k = linear(x, p + "attention.self.key");
        double[][] v = linear(x, p + "attention.self.value");
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
                    scores[j] = dot / Math.sqrt(d);
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
        double[][] attended = addAndNorm(linear(context, p + "attention.output.dense"), x, p + "attention.output.LayerNorm");
        double[][] inner = linear(attended, p + "intermediate.dense");
        for (double[] row : inner) {
            for (int i = 0; i < row.length; i++) {
                row[i] = activation(model.hiddenAct(), row[i]);
            }
        }
        return addAndNorm(linear(inner, p + "output.dense"), attended, p + "output.LayerNorm");
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
