package io.embedserve.error;

/** The request named a path (or a path and method) the service does not serve. */
public final class RouteNotFoundException extends EmbedServeException {

    public RouteNotFoundException(String message) {
        super(ErrorKind.NOT_FOUND, message, null);
    }
}
