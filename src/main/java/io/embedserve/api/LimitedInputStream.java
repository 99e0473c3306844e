package io.embedserve.api;

import io.embedserve.error.PayloadTooLargeException;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;

/**
 * A request body that refuses to yield more than {@code limit} bytes. Throwing the service's own
 * unchecked exception (rather than an IOException) keeps it from being reworded by the JSON
 * parser on its way to the error mapping.
 */
final class LimitedInputStream extends ServletInputStream {

    private final ServletInputStream body;
    private final long declaredLength;
    private final long limit;
    private long count;

    LimitedInputStream(ServletInputStream body, long declaredLength, long limit) {
        this.body = body;
        this.declaredLength = declaredLength;
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        checkDeclaredLength();
        int b = body.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        checkDeclaredLength();
        // Read at most one byte past the limit: enough to know it was crossed.
        int n = body.read(buffer, offset, (int) Math.min(length, limit - count + 1));
        if (n > 0) {
            count(n);
        }
        return n;
    }

    private void checkDeclaredLength() {
        if (declaredLength > limit) {
            throw tooLarge(declaredLength + " bytes");
        }
    }

    private void count(int n) {
        count += n;
        if (count > limit) {
            throw tooLarge("more than " + limit + " bytes");
        }
    }

    private PayloadTooLargeException tooLarge(String size) {
        return new PayloadTooLargeException("Request body of " + size + " is over the payload limit of "
                + limit + " bytes (PAYLOAD_LIMIT)");
    }

    @Override
    public boolean isFinished() {
        return body.isFinished();
    }

    @Override
    public boolean isReady() {
        return body.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        body.setReadListener(listener);
    }
}
