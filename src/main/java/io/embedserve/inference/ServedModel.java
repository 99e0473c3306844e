package io.embedserve.inference;

/** A loaded model the service serves, whose native memory is given back by {@link #close()}. */
public interface ServedModel extends AutoCloseable {

    @Override
    void close();
}
