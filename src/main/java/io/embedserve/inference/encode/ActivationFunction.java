package io.embedserve.inference.encode;

import io.embedserve.error.ModelLoadException;

/**
 * The config's {@code hidden_act}, with transformers' meaning of each name (ACT2FN), as the code
 * encoder.py's {@code activation} switches on. The one list of supported names: an unknown one
 * fails the load here.
 */
final class ActivationFunction {

    private ActivationFunction() {}

    static int scriptCode(String hiddenAct) {
        return switch (hiddenAct) {
            // PyTorch's gelu is the exact erf form, which transformers' "gelu" means.
            case "gelu" -> 0;
            // transformers' NewGELUActivation / gelu_pytorch_tanh: the tanh approximation.
            case "gelu_new", "gelu_pytorch_tanh" -> 1;
            case "relu" -> 2;
            case "tanh" -> 3;
            default -> throw new ModelLoadException("config.json has hidden_act '" + hiddenAct
                    + "'; supported: gelu, relu, tanh, gelu_new, gelu_pytorch_tanh.");
        };
    }
}
