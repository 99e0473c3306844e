package io.embedserve.inference.encode;

import io.embedserve.error.ModelLoadException;

/**
 * The config's {@code hidden_act}, with transformers' meaning of each name (ACT2FN), as encoder.py
 * runs it: a code for its {@code activation} method, and the post-op oneDNN fuses into the
 * intermediate dense layer. The one list of supported names: an unknown one fails the load here.
 */
enum ActivationFunction {
    /** PyTorch's gelu is the exact erf form, which transformers' "gelu" means. */
    GELU(0, "gelu", "none"),
    /** transformers' NewGELUActivation / gelu_pytorch_tanh: the tanh approximation. */
    GELU_TANH(1, "gelu", "tanh"),
    RELU(2, "relu", ""),
    TANH(3, "tanh", "");

    final int scriptCode;
    final String postOp;
    final String algorithm;

    ActivationFunction(int scriptCode, String postOp, String algorithm) {
        this.scriptCode = scriptCode;
        this.postOp = postOp;
        this.algorithm = algorithm;
    }

    static ActivationFunction forName(String hiddenAct) {
        return switch (hiddenAct) {
            case "gelu" -> GELU;
            case "gelu_new", "gelu_pytorch_tanh" -> GELU_TANH;
            case "relu" -> RELU;
            case "tanh" -> TANH;
            default -> throw new ModelLoadException("config.json has hidden_act '" + hiddenAct
                    + "'; supported: gelu, relu, tanh, gelu_new, gelu_pytorch_tanh.");
        };
    }
}
