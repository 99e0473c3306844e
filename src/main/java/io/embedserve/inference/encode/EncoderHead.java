package io.embedserve.inference.encode;

import io.embedserve.model.DenseModule;
import io.embedserve.model.PoolingMode;
import java.util.List;

/** What the encoder program computes from the last hidden state. */
public sealed interface EncoderHead {

    /** The width of the program's output per input. */
    int outputSize(int hiddenSize);

    /**
     * sentence-transformers' Pooling, then its Dense modules in order: one sentence embedding per
     * input.
     */
    record SentenceEmbedding(PoolingMode pooling, List<DenseModule> denseModules) implements EncoderHead {

        public SentenceEmbedding {
            denseModules = List.copyOf(denseModules);
        }

        /** Pooling alone, without Dense modules. */
        public static SentenceEmbedding pooled(PoolingMode pooling) {
            return new SentenceEmbedding(pooling, List.of());
        }

        @Override
        public int outputSize(int hiddenSize) {
            return denseModules.isEmpty() ? hiddenSize : denseModules.get(denseModules.size() - 1).outFeatures();
        }
    }

    /**
     * The head of BertForSequenceClassification / RobertaForSequenceClassification /
     * XLMRobertaForSequenceClassification (a cross-encoder): one logit per label per input.
     */
    record SequenceClassification(int numLabels) implements EncoderHead {

        public SequenceClassification {
            if (numLabels < 1) {
                throw new IllegalArgumentException("a classifier has at least one label: " + numLabels);
            }
        }

        @Override
        public int outputSize(int hiddenSize) {
            return numLabels;
        }
    }
}
