package io.embedserve.api;

import io.embedserve.inference.Token;

/** One token of TEI's /tokenize answer; start and stop are null for added special tokens. */
record TeiToken(long id, String text, boolean special, Integer start, Integer stop) {

    static TeiToken of(Token token) {
        return new TeiToken(token.id(), token.text(), token.special(), token.start(), token.stop());
    }
}
