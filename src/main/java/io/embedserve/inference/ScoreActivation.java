package io.embedserve.inference;

/**
 * What TEI does to a cross-encoder's logits unless the client asks for raw scores: the sigmoid of a
 * single logit (a reranker's relevance, whatever activation the model's own config names, as TEI
 * does) and the softmax over several (a classifier's label probabilities).
 */
final class ScoreActivation {

    private ScoreActivation() {}

    static float[] apply(float[] logits) {
        if (logits.length == 1) {
            return new float[] {(float) sigmoid(logits[0])};
        }
        return softmax(logits);
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** Shifted by the largest logit, so that exp never overflows; the result is the same. */
    static float[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double[] exp = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            exp[i] = Math.exp(logits[i] - max);
            sum += exp[i];
        }
        float[] out = new float[logits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (exp[i] / sum);
        }
        return out;
    }
}
