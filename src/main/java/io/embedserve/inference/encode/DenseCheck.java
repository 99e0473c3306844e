package io.embedserve.inference.encode;

/**
 * The load-time check of one dense-layer shape ({@link DenseSelfCheck}): which path its layers run
 * on and the error measured on it.
 *
 * @param inFeatures the layer's input width
 * @param outFeatures its output width
 * @param activated whether the hidden activation is fused into it (intermediate.dense)
 * @param kind 0 query/key/value, 1 attention output, 2 intermediate, 3 output (the encoder's layers),
 *     4 a classifier's pooler / head dense, 5 its classifier / out_proj, 6 a sentence-transformers
 *     Dense module: the kind of the first layer with this shape
 * @param layers how many dense layers of the model have this shape
 * @param path the path they run on: the DTYPE's fast path, or {@code torch.linear float32}
 * @param worstError the largest relative row error measured on that path, against float64
 * @param tolerance the error that path was allowed
 * @param fastPathFailure why the fast path was not used, or null when it is
 */
public record DenseCheck(
        int inFeatures,
        int outFeatures,
        boolean activated,
        int kind,
        int layers,
        String path,
        double worstError,
        double tolerance,
        String fastPathFailure) {

    /** True when these layers had to leave their fast path. */
    public boolean fellBack() {
        return fastPathFailure != null;
    }

    /** One line for the log: {@code 384->1536 (12 layers) on onednn float32, error 2.1e-07 <= 1e-05}. */
    public String describe() {
        String line = String.format("%d->%d%s (%d layers) on %s, error %.2g <= %.2g", inFeatures, outFeatures,
                activated ? "+activation" : "", layers, path, worstError, tolerance);
        return fellBack() ? line + "; fast path not used: " + fastPathFailure : line;
    }
}
