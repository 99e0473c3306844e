package io.embedserve.inference;

import java.util.Objects;

/** One thing to embed: a text, or token ids the client already produced. */
public sealed interface EmbedInput {

    /** A text to tokenize. */
    record Text(String text) implements EmbedInput {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** Token ids to use as they are (special tokens included, as the client sent them). */
    record TokenIds(long[] ids) implements EmbedInput {
        public TokenIds {
            Objects.requireNonNull(ids, "ids");
        }
    }

    static EmbedInput text(String text) {
        return new Text(text);
    }
}
