import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.jni.LibUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.util.Utils;

/**
 * Image build step: makes DJL unpack its native libraries into DJL_CACHE_DIR / ENGINE_CACHE_DIR.
 *
 * <p>DJL extracts libtorch (from pytorch-native-cpu), libdjl_torch (from pytorch-jni) and
 * libtokenizers (from the tokenizers jar) into its cache on first use. The container runs with a
 * read-only root filesystem and no network, so that first use has to happen while the image is
 * built. A small computation proves that the extracted libraries load and work on this base image.
 */
public final class WarmDjl {

    private WarmDjl() {}

    public static void main(String[] args) {
        if (!Boolean.getBoolean("ai.djl.offline")) {
            throw new IllegalStateException("run with -Dai.djl.offline=true: nothing may be downloaded");
        }
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager manager = engine.newBaseManager()) {
            NDArray sum = manager.create(new float[] {1f, 2f, 3f}).sum();
            if (sum.getFloat() != 6f) {
                throw new IllegalStateException("PyTorch computed " + sum.getFloat() + " for 1+2+3");
            }
        }
        LibUtils.checkStatus();
        System.out.printf("DJL %s, %s %s ready in %s%n",
                Engine.getDjlVersion(), engine.getEngineName(), engine.getVersion(), Utils.getEngineCacheDir());
    }
}
