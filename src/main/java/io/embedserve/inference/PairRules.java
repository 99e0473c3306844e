package io.embedserve.inference;

import io.embedserve.error.EmptyInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules one cross-encoder input must pass on its way to the model: not empty, tokenized with the
 * tokenizer's single or pair template, and cut or refused at the model's max length (TEI's message
 * and status, as for embeddings).
 *
 * <p>A text longer than MAX_INPUT_CHARS is refused with truncation off; with truncation on it is cut
 * to that many characters on the side truncation cuts before it is tokenized, as TEI cuts both texts
 * of a pair to its character limit. That bounds the tokenizer's work per text, and the pair keeps
 * the tokens it would have kept: the limit holds far more tokens than any model's max length.
 */
final class PairRules {

    private PairRules() {}

    static List<TokenizedPair> tokenizeAll(CrossEncoderModel model, List<CrossEncoderInput> inputs,
            ScoreOptions options, int maxInputChars) {
        List<TokenizedPair> tokenized = new ArrayList<>(inputs.size());
        for (CrossEncoderInput input : inputs) {
            tokenized.add(tokenize(model, input, options, maxInputChars));
        }
        return tokenized;
    }

    private static TokenizedPair tokenize(CrossEncoderModel model, CrossEncoderInput input, ScoreOptions options,
            int maxInputChars) {
        TruncationDirection direction = options.direction();
        TokenizedPair pair;
        if (input instanceof CrossEncoderInput.Pair p) {
            // TEI refuses a pair only when both of its texts are empty.
            if (p.first().isEmpty() && p.second().isEmpty()) {
                throw new EmptyInputException("`inputs` cannot be empty");
            }
            pair = model.tokenize(bounded(p.first(), options, maxInputChars), bounded(p.second(), options, maxInputChars),
                    direction);
        } else {
            String text = ((CrossEncoderInput.Text) input).text();
            if (text.isEmpty()) {
                throw new EmptyInputException("`inputs` cannot be empty");
            }
            pair = model.tokenize(bounded(text, options, maxInputChars), direction);
        }
        if (!options.truncate() && pair.truncated()) {
            throw InputRules.tooLong(pair.untruncatedLength(), model.maxLength());
        }
        return pair;
    }

    /** The text, or its first (right truncation) or last (left) MAX_INPUT_CHARS characters. */
    private static String bounded(String text, ScoreOptions options, int maxInputChars) {
        if (!options.truncate()) {
            InputRules.requireAtMostChars(text, maxInputChars);
            return text;
        }
        if (text.length() <= maxInputChars) {
            return text;
        }
        return options.direction() == TruncationDirection.RIGHT
                ? text.substring(0, BoundedTokenization.cutBefore(text, maxInputChars))
                : text.substring(BoundedTokenization.cutAfter(text, text.length() - maxInputChars));
    }
}
