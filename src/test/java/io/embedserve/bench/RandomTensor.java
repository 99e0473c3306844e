package io.embedserve.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One tensor of a random-weight checkpoint: its Hugging Face name, shape and how to fill it.
 * Weights and biases are uniform with standard deviation 0.02 (transformers' initializer_range);
 * LayerNorm starts at gamma 1, beta 0, as transformers initialises it.
 */
record RandomTensor(String name, long[] shape, Fill fill) {

    enum Fill { RANDOM, ONES, ZEROS }

    /** Uniform on [-a, a) has standard deviation a/√3. */
    private static final float HALF_WIDTH = (float) (0.02 * Math.sqrt(3));

    long elements() {
        return Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }

    float next(Generator generator) {
        return switch (fill) {
            case RANDOM -> generator.nextSigned() * HALF_WIDTH;
            case ONES -> 1f;
            case ZEROS -> 0f;
        };
    }

    /**
     * xorshift64*: a few cycles per value, so 278 million weights take about a second rather than
     * the minute that Random.nextGaussian would.
     */
    static final class Generator {
        private long state;

        Generator(long seed) {
            state = seed == 0 ? 1 : seed;
        }

        /** Uniform on [-1, 1) from the top 24 bits (a float's whole mantissa). */
        float nextSigned() {
            state ^= state >>> 12;
            state ^= state << 25;
            state ^= state >>> 27;
            long bits = (state * 0x2545F4914F6CDD1DL) >>> 40;
            return bits * 0x1.0p-23f - 1f;
        }
    }

    /** Every tensor of an XLM-R/BERT encoder checkpoint with transformers' names, pooler included. */
    static List<RandomTensor> xlmRobertaBase(int vocab, int hidden, int layers, int intermediate,
            int positions, int tokenTypes) {
        List<RandomTensor> out = new ArrayList<>();
        out.add(random("embeddings.word_embeddings.weight", vocab, hidden));
        out.add(random("embeddings.position_embeddings.weight", positions, hidden));
        out.add(random("embeddings.token_type_embeddings.weight", tokenTypes, hidden));
        layerNorm(out, "embeddings.LayerNorm", hidden);
        for (int l = 0; l < layers; l++) {
            String p = "encoder.layer." + l + ".";
            linear(out, p + "attention.self.query", hidden, hidden);
            linear(out, p + "attention.self.key", hidden, hidden);
            linear(out, p + "attention.self.value", hidden, hidden);
            linear(out, p + "attention.output.dense", hidden, hidden);
            layerNorm(out, p + "attention.output.LayerNorm", hidden);
            linear(out, p + "intermediate.dense", hidden, intermediate);
            linear(out, p + "output.dense", intermediate, hidden);
            layerNorm(out, p + "output.LayerNorm", hidden);
        }
        // The published checkpoint carries XLMRobertaModel's pooler; the encoder ignores it, but
        // it is part of the file size that load memory is judged against.
        linear(out, "pooler.dense", hidden, hidden);
        return out;
    }

    private static RandomTensor random(String name, long... shape) {
        return new RandomTensor(name, shape, Fill.RANDOM);
    }

    private static void linear(List<RandomTensor> out, String prefix, long in, long outFeatures) {
        out.add(random(prefix + ".weight", outFeatures, in)); // (out, in), as nn.Linear stores it
        out.add(random(prefix + ".bias", outFeatures));
    }

    private static void layerNorm(List<RandomTensor> out, String prefix, long hidden) {
        out.add(new RandomTensor(prefix + ".weight", new long[] {hidden}, Fill.ONES));
        out.add(new RandomTensor(prefix + ".bias", new long[] {hidden}, Fill.ZEROS));
    }
}
