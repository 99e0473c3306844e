package io.embedserve.inference;

import java.util.List;

/** The stage that turns tokenized pairs into a cross-encoder's logits: the reranker's batch queue. */
@FunctionalInterface
public interface PairScorer {

    /** One row of logits per pair, in input order. */
    PooledVectors score(List<TokenizedPair> pairs);
}
