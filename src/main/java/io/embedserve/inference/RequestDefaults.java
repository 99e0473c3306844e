package io.embedserve.inference;

/**
 * What the service fills in for a request that does not say: the prompt (DEFAULT_PROMPT_NAME, a
 * prompt of the model's own, or DEFAULT_PROMPT, a text; at most one is set), the character limit
 * of one input (MAX_INPUT_CHARS), and the name the model is served under (SERVED_MODEL_NAME).
 *
 * @param maxInputChars characters of one input beyond which it is cut before tokenizing
 *     (truncation on) or refused (truncation off, /tokenize)
 * @param promptName the prompt put before every input of a request that names none, or null
 * @param promptText the prompt text put before every input of a request that names none, or null
 * @param servedModelName the model's name in answers, or null for its repository id
 */
public record RequestDefaults(int maxInputChars, String promptName, String promptText, String servedModelName) {

    /** MAX_INPUT_CHARS' default: 64 Ki characters. */
    public static final int DEFAULT_MAX_INPUT_CHARS = 65_536;

    public static RequestDefaults withMaxInputChars(int maxInputChars) {
        return new RequestDefaults(maxInputChars, null, null, null);
    }

    /**
     * The prompt text for a request: the one it names (which must be the model's), else the default
     * prompt name's, else the default prompt text, else none.
     */
    String promptFor(SentenceModel model, String requested) {
        if (requested != null) {
            return InputRules.promptText(model, requested);
        }
        if (promptName != null) {
            return InputRules.promptText(model, promptName);
        }
        return promptText != null ? promptText : model.pipeline().promptText(null);
    }
}
