package io.embedserve.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A sentence-transformers Dense module with random weights, written as sentence-transformers 3+
 * saves one: {@code <folder>/config.json} ({@code in_features}, {@code out_features}, {@code bias},
 * {@code activation_function} as a class path) and {@code <folder>/model.safetensors} holding
 * {@code linear.weight} (out, in) and {@code linear.bias}.
 */
public final class TinyDenseModule {

    public static final String TANH = "torch.nn.modules.activation.Tanh";
    public static final String IDENTITY = "torch.nn.modules.linear.Identity";
    public static final String RELU = "torch.nn.modules.activation.ReLU";

    public final int inFeatures;
    public final int outFeatures;
    public final boolean bias;
    public final String activationFunction;
    public final float[] weight;
    public final float[] biasValues;

    public TinyDenseModule(int inFeatures, int outFeatures, boolean bias, String activationFunction, long seed) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.bias = bias;
        this.activationFunction = activationFunction;
        Random random = new Random(seed);
        this.weight = new float[outFeatures * inFeatures];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) (random.nextGaussian() / Math.sqrt(inFeatures));
        }
        this.biasValues = new float[outFeatures];
        for (int i = 0; i < outFeatures && bias; i++) {
            biasValues[i] = (float) (random.nextGaussian() * 0.1);
        }
    }

    /** The module's config.json. */
    public String configJson() {
        return "{\"in_features\": " + inFeatures + ", \"out_features\": " + outFeatures + ", \"bias\": " + bias
                + ", \"activation_function\": \"" + activationFunction + "\"}";
    }

    /** Writes config.json and model.safetensors into {@code folder}. */
    public void writeTo(Path folder) {
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("config.json"), configJson());
            SafetensorsWriter writer = new SafetensorsWriter();
            writer.add("linear.weight", new long[] {outFeatures, inFeatures}, weight, SafetensorsWriter.Dtype.F32);
            if (bias) {
                writer.add("linear.bias", new long[] {outFeatures}, biasValues, SafetensorsWriter.Dtype.F32);
            }
            writer.write(folder.resolve("model.safetensors"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
