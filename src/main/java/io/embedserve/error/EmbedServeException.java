package io.embedserve.error;

/**
 * Every failure the service reports on purpose. The hierarchy is sealed so that the mapping to
 * HTTP ({@code io.embedserve.api.ErrorStatus}) is checked for completeness by the compiler.
 */
public abstract sealed class EmbedServeException extends RuntimeException
        permits EmptyInputException,
                ValidationException,
                TokenizerException,
                PayloadTooLargeException,
                OverloadedException,
                InferenceException,
                NotReadyException,
                ModelLoadException,
                ClientGoneException,
                RouteNotFoundException,
                UnauthorizedException,
                RequestTimeoutException,
                SlowClientException,
                WrongModelTypeException {

    private final ErrorKind kind;

    protected EmbedServeException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }
}
