package io.embedserve.inference;

import io.embedserve.error.EmptyInputException;
import io.embedserve.error.ValidationException;
import io.embedserve.inference.tokenize.TokenIds;
import io.embedserve.inference.tokenize.Truncation;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules one input must pass on its way to the encoder: the prompt, tokenization, and
 * truncation or refusal at max_seq_length (TEI's message and status), and token ids inside the
 * vocabulary.
 */
final class InputRules {

    private InputRules() {}

    static List<TokenizedInput> tokenizeAll(
            SentenceModel model, List<EmbedInput> inputs, String prompt, EmbedOptions options, int maxInputChars) {
        List<TokenizedInput> tokenized = new ArrayList<>(inputs.size());
        for (EmbedInput input : inputs) {
            tokenized.add(tokenize(model, input, prompt, options, maxInputChars));
        }
        return tokenized;
    }

    private static TokenizedInput tokenize(
            SentenceModel model, EmbedInput input, String prompt, EmbedOptions options, int maxInputChars) {
        int max = model.pipeline().maxSeqLength();
        long[] ids;
        String text = null;
        if (input instanceof EmbedInput.Text t) {
            if (t.text().isEmpty()) {
                throw new EmptyInputException("`inputs` cannot contain an empty string");
            }
            if (!options.truncate()) {
                requireAtMostChars(t.text(), maxInputChars);
            }
            text = prompt + t.text();
            int window = BoundedTokenization.windowChars(maxInputChars, max, model.tokenizer().longestTokenChars());
            TokenIds encoded = BoundedTokenization.encode(model.tokenizer(), text, max, window, options.direction());
            requireFits(encoded.length(), max, options);
            ids = Truncation.truncate(encoded, max, options.direction());
        } else {
            long[] given = ((EmbedInput.TokenIds) input).ids();
            if (given.length == 0) {
                throw new EmptyInputException("`inputs` cannot contain an empty list of token ids");
            }
            requireValidIds(given, model.encoderConfig().vocabSize());
            requireFits(given.length, max, options);
            ids = Truncation.truncateIds(given, max, options.direction());
        }
        return new TokenizedInput(text, ids, options.direction(), max);
    }

    private static void requireFits(int length, int max, EmbedOptions options) {
        if (!options.truncate() && length > max) {
            throw tooLong(length, max);
        }
    }

    /** TEI's words for an input over the model's length with truncation off, and what to do about it. */
    static ValidationException tooLong(int length, int max) {
        return new ValidationException("`inputs` must have less than " + max + " tokens. Given: " + length
                + ". Set `truncate` to true to cut it.");
    }

    /** Refused before tokenizing: with truncation off such a text is over max_seq_length anyway, almost surely. */
    static void requireAtMostChars(String text, int maxInputChars) {
        if (text.length() > maxInputChars) {
            throw new ValidationException("`inputs` must have at most " + maxInputChars + " characters (MAX_INPUT_CHARS)."
                    + " Given: " + text.length() + ". Set `truncate` to true to cut it.");
        }
    }

    static void requireValidIds(long[] ids, int vocabSize) {
        for (long id : ids) {
            if (id < 0 || id >= vocabSize) {
                throw new ValidationException(
                        "token id " + id + " is outside the vocabulary [0, " + vocabSize + ")");
            }
        }
    }

    static String promptText(SentenceModel model, String promptName) {
        if (promptName != null && !model.pipeline().prompts().containsKey(promptName)) {
            throw new ValidationException(
                    "prompt_name `" + promptName + "` is not one of the model's prompts "
                            + model.pipeline().prompts().keySet());
        }
        return model.pipeline().promptText(promptName);
    }
}
