package io.embedserve.inference;

import java.util.Objects;

/** One thing for a cross-encoder to score: a text alone, or a pair (a query and a text). */
public sealed interface CrossEncoderInput {

    /** A single text, tokenized with the tokenizer's single-sequence template. */
    record Text(String text) implements CrossEncoderInput {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A pair, tokenized with the tokenizer's pair template ({@code [CLS] first [SEP] second [SEP]}). */
    record Pair(String first, String second) implements CrossEncoderInput {
        public Pair {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(second, "second");
        }
    }
}
