package io.embedserve.error;

/** The client closed its connection while its request waited; its inputs were not computed. */
public final class ClientGoneException extends EmbedServeException {

    public ClientGoneException(String message) {
        super(ErrorKind.CLIENT_GONE, message, null);
    }
}
