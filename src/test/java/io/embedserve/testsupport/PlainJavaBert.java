package io.embedserve.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The BERT encoder of {@code transformers}' {@code modeling_bert.py}, written out in plain Java
 * loops with double accumulation: no batching, no padding, token type 0, absolute positions.
 * It reads only {@code config.json} and {@code model.safetensors}, so it proves that a model
 * directory alone describes the network (head count and epsilon included). Slow by design;
 * meant for a sentence or two in a test, and for per-layer debugging.
 */
public final class PlainJavaBert {

    private final SafetensorsInspector weights;
    private final int hiddenSize;
    private final int heads;
    private final int layers;
    private final double layerNormEps;

    private PlainJavaBert(SafetensorsInspector weights, JsonNode config) {
        this.weights = weights;
        this.hiddenSize = config.get("hidden_size").intValue();
        this.heads = config.get("num_attention_heads").intValue();
        this.layers = config.get("num_hidden_layers").intValue();
        this.layerNormEps = config.get("layer_norm_eps").doubleValue();
        if (!config.get("hidden_act").asString().equals("gelu")) {
            throw new IllegalArgumentException("only the erf GELU (\"gelu\") is implemented");
        }
    }

    public static PlainJavaBert load(Path modelDirectory) {
        try {
            JsonNode config = JsonMapper.shared().readTree(Files.readString(modelDirectory.resolve("config.json")));
            return new PlainJavaBert(SafetensorsInspector.open(modelDirectory.resolve("model.safetensors")), config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + modelDirectory, e);
        }
    }

    /** Returns the last hidden state (T, H) for one unpadded sentence. */
    public float[][] lastHiddenState(long[] tokenIds) {
        double[][] x = embeddings(tokenIds); // (T, H)
        for (int layer = 0; layer < layers; layer++) {
            x = layer(x, "encoder.layer." + layer + ".");
        }
        float[][] out = new float[x.length][hiddenSize];
        for (int t = 0; t < x.length; t++) {
            for (int h = 0; h < hiddenSize; h++) {
                out[t][h] = (float) x[t][h];
            }
        }
        return out;
    }

    private double[][] embeddings(long[] tokenIds) {
        float[] words = weights.floats("embeddings.word_embeddings.weight"); // (V, H)
        float[] positions = weights.floats("embeddings.position_embeddings.weight"); // (P, H)
        float[] types = weights.floats("embeddings.token_type_embeddings.weight"); // (2, H), row 0 used
        double[][] x = new double[tokenIds.length][hiddenSize];
        for (int t = 0; t < tokenIds.length; t++) {
            for (int h = 0; h < hiddenSize; h++) {
                x[t][h] = (double) words[(int) tokenIds[t] * hiddenSize + h] + positions[t * hiddenSize + h] + types[h];
            }
        }
        return layerNorm(x, "embeddings.LayerNorm");
    }

    private double[][] layer(double[][] x, String prefix) {
        double[][] attention = selfAttention(x, prefix + "attention.self."); // (T, H)
        double[][] afterAttention = layerNorm(add(linear(attention, prefix + "attention.output.dense"), x),
                prefix + "attention.output.LayerNorm");
        double[][] intermediate = linear(afterAttention, prefix + "intermediate.dense"); // (T, I)
        for (double[] row : intermediate) {
            for (int i = 0; i < row.length; i++) {
                row[i] = 0.5 * row[i] * (1 + erf(row[i] / Math.sqrt(2)));
            }
        }
        return layerNorm(add(linear(intermediate, prefix + "output.dense"), afterAttention), prefix + "output.LayerNorm");
    }

    private double[][] selfAttention(double[][] x, String prefix) {
        double[][] q = linear(x, prefix + "query"); // (T, H) = (T, heads × D)
        double[][] k = linear(x, prefix + "key");
        double[][] v = linear(x, prefix + "value");
        int tokens = x.length;
        int headSize = hiddenSize / heads; // D
        double[][] context = new double[tokens][hiddenSize];
        for (int head = 0; head < heads; head++) {
            int from = head * headSize;
            for (int i = 0; i < tokens; i++) {
                double[] scores = new double[tokens]; // softmax_j(q_i · k_j / sqrt(D))
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < tokens; j++) {
                    for (int d = from; d < from + headSize; d++) {
                        scores[j] += q[i][d] * k[j][d];
                    }
                    scores[j] /= Math.sqrt(headSize);
                    max = Math.max(max, scores[j]);
                }
                double sum = 0;
                for (int j = 0; j < tokens; j++) {
                    scores[j] = Math.exp(scores[j] - max);
                    sum += scores[j];
                }
                for (int j = 0; j < tokens; j++) {
                    for (int d = from; d < from + headSize; d++) {
                        context[i][d] += scores[j] / sum * v[j][d];
                    }
                }
            }
        }
        return context;
    }

    /** y = x Wᵀ + b with the torch layout W (out, in). */
    private double[][] linear(double[][] x, String prefix) {
        float[] weight = weights.floats(prefix + ".weight"); // (out, in)
        float[] bias = weights.floats(prefix + ".bias"); // (out)
        int in = x[0].length;
        double[][] y = new double[x.length][bias.length];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < bias.length; o++) {
                double sum = bias[o];
                for (int i = 0; i < in; i++) {
                    sum += weight[o * in + i] * x[t][i];
                }
                y[t][o] = sum;
            }
        }
        return y;
    }

    /** LayerNorm over the last axis, biased variance, as torch.nn.LayerNorm. */
    private double[][] layerNorm(double[][] x, String prefix) {
        float[] gamma = weights.floats(prefix + ".weight");
        float[] beta = weights.floats(prefix + ".bias");
        double[][] y = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            double mean = 0;
            for (double value : x[t]) {
                mean += value / x[t].length;
            }
            double variance = 0;
            for (double value : x[t]) {
                variance += (value - mean) * (value - mean) / x[t].length;
            }
            y[t] = new double[x[t].length];
            for (int h = 0; h < x[t].length; h++) {
                y[t][h] = (x[t][h] - mean) / Math.sqrt(variance + layerNormEps) * gamma[h] + beta[h];
            }
        }
        return y;
    }

    private static double[][] add(double[][] a, double[][] b) {
        for (int t = 0; t < a.length; t++) {
            for (int h = 0; h < a[t].length; h++) {
                a[t][h] += b[t][h];
            }
        }
        return a;
    }

    /**
     * The error function (Java has none), Abramowitz &amp; Stegun 7.1.26: absolute error below
     * 1.5e-7, far under what float32 comparisons resolve.
     */
    static double erf(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x));
        double polynomial = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        return Math.signum(x) * (1 - polynomial * Math.exp(-x * x));
    }
}
