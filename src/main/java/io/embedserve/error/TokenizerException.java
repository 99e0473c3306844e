package io.embedserve.error;

/** The tokenizer could not handle the input. */
public final class TokenizerException extends EmbedServeException {

    public TokenizerException(String message) {
        super(ErrorKind.TOKENIZER, message, null);
    }

    public TokenizerException(String message, Throwable cause) {
        super(ErrorKind.TOKENIZER, message, cause);
    }
}
