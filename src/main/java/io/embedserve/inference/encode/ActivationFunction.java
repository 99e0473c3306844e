package io.embedserve.inference.encode;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import io.embedserve.error.ModelLoadException;
import java.util.function.UnaryOperator;

/**
 * The config's {@code hidden_act}, with transformers' meaning of each name (ACT2FN). The one list
 * of supported names: an unknown one fails the load here, when the feed-forward layers are built.
 */
final class ActivationFunction {

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);

    private ActivationFunction() {}

    static UnaryOperator<NDArray> forName(String hiddenAct) {
        return switch (hiddenAct) {
            // PyTorch's gelu is the exact erf form, which transformers' "gelu" means.
            case "gelu" -> Activation::gelu;
            case "relu" -> Activation::relu;
            case "tanh" -> Activation::tanh;
            // transformers' NewGELUActivation / gelu_pytorch_tanh: the tanh approximation.
            case "gelu_new", "gelu_pytorch_tanh" -> ActivationFunction::geluTanh;
            default -> throw new ModelLoadException("config.json has hidden_act '" + hiddenAct
                    + "'; supported: gelu, relu, tanh, gelu_new, gelu_pytorch_tanh.");
        };
    }

    /** 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³))) */
    private static NDArray geluTanh(NDArray x) {
        NDArray inner = x.pow(3).mul(0.044715f).add(x).mul(SQRT_2_OVER_PI);
        return inner.tanh().add(1f).mul(x).mul(0.5f);
    }
}
