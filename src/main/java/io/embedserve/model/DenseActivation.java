package io.embedserve.model;

/**
 * The activation_function of a sentence-transformers Dense module, by the class path its
 * config.json names (sentence-transformers writes {@code fullname(module)} and imports it back).
 */
public enum DenseActivation {
    IDENTITY("torch.nn.modules.linear.Identity"),
    TANH("torch.nn.modules.activation.Tanh"),
    RELU("torch.nn.modules.activation.ReLU"),
    SIGMOID("torch.nn.modules.activation.Sigmoid"),
    /** torch.nn.GELU() as sentence-transformers constructs it, without arguments: the exact erf form. */
    GELU("torch.nn.modules.activation.GELU");

    private final String className;

    DenseActivation(String className) {
        this.className = className;
    }

    /** The class path as config.json spells it. */
    public String className() {
        return className;
    }

    /** The activation named {@code className}, or null for one EmbedServe does not run. */
    public static DenseActivation fromClassName(String className) {
        for (DenseActivation activation : values()) {
            if (activation.className.equals(className)) {
                return activation;
            }
        }
        return null;
    }
}
