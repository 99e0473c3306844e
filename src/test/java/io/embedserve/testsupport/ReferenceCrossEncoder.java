package io.embedserve.testsupport;

/**
 * A cross-encoder's logits in double precision, from transformers' modeling files:
 * BertForSequenceClassification is BertPooler (tanh(dense(first token))) then {@code classifier};
 * Roberta/XLMRobertaForSequenceClassification is RobertaClassificationHead (tanh(dense(&lt;s&gt;))
 * then {@code out_proj}). The encoder is {@link ReferenceEncoder}. BERT reads the pair's token type
 * ids; RoBERTa's and XLM-R's tokenizers pass none, so their models see type 0 throughout.
 */
public final class ReferenceCrossEncoder {

    private final CrossEncoderCheckpoint model;
    private final ReferenceEncoder encoder;

    public ReferenceCrossEncoder(CrossEncoderCheckpoint model) {
        this.model = model;
        this.encoder = new ReferenceEncoder(model.body);
    }

    /** The logits (num_labels) for one unpadded pair as the tokenizer laid it out. */
    public double[] logits(long[] ids, long[] tokenTypeIds) {
        boolean bert = model.architecture.startsWith("Bert");
        long[] types = bert ? tokenTypeIds : new long[ids.length];
        double[] first = encoder.lastHiddenState(ids, types)[0];
        double[] pooled = linear(first, bert ? "bert.pooler.dense" : "classifier.dense");
        for (int i = 0; i < pooled.length; i++) {
            pooled[i] = Math.tanh(pooled[i]);
        }
        return linear(pooled, bert ? "classifier" : "classifier.out_proj");
    }

    private double[] linear(double[] x, String name) {
        float[] weight = model.head.get(name + ".weight");
        float[] bias = model.head.get(name + ".bias");
        double[] y = new double[bias.length];
        for (int o = 0; o < y.length; o++) {
            double sum = bias[o];
            for (int i = 0; i < x.length; i++) {
                sum += (double) weight[o * x.length + i] * x[i];
            }
            y[o] = sum;
        }
        return y;
    }
}
