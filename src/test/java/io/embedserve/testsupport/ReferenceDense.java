package io.embedserve.testsupport;

/**
 * sentence-transformers' Dense module in double precision, from models/Dense.py:
 * {@code activation_function(linear(sentence_embedding))}, nn.Linear being {@code W x + b}.
 */
public final class ReferenceDense {

    private ReferenceDense() {}

    public static double[] apply(TinyDenseModule module, double[] x) {
        double[] y = new double[module.outFeatures];
        for (int o = 0; o < module.outFeatures; o++) {
            double sum = module.bias ? module.biasValues[o] : 0;
            for (int i = 0; i < module.inFeatures; i++) {
                sum += (double) module.weight[o * module.inFeatures + i] * x[i];
            }
            y[o] = switch (module.activationFunction) {
                case TinyDenseModule.TANH -> Math.tanh(sum);
                case TinyDenseModule.RELU -> Math.max(0, sum);
                case TinyDenseModule.IDENTITY -> sum;
                default -> throw new IllegalArgumentException("no reference for " + module.activationFunction);
            };
        }
        return y;
    }
}
