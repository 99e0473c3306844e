package io.embedserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.PayloadTooLargeException;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class LimitedInputStreamTest {

    /** A body as a chunked upload looks to the servlet: bytes, but no declared length (-1). */
    static LimitedInputStream chunked(int size, long limit) {
        return new LimitedInputStream(servletStream(new byte[size]), -1, limit);
    }

    static ServletInputStream servletStream(byte[] bytes) {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        return new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {}
        };
    }

    @Test
    void readsABodyOfExactlyTheLimit() throws IOException {
        assertThat(chunked(1000, 1000).readAllBytes()).hasSize(1000);
    }

    @Test
    void refusesAChunkedBodyOneByteOverTheLimit() {
        assertThatThrownBy(() -> chunked(1001, 1000).readAllBytes())
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("1000 bytes");
    }

    @Test
    void refusesOverLimitBodiesReadByteByByte() {
        LimitedInputStream in = chunked(11, 10);
        assertThatThrownBy(() -> {
            while (in.read() >= 0) {
                // keep reading
            }
        }).isInstanceOf(PayloadTooLargeException.class);
    }

    @Test
    void refusesADeclaredLengthOverTheLimitBeforeReadingAnything() {
        LimitedInputStream in = new LimitedInputStream(servletStream(new byte[10]), 5000, 1000);
        assertThatThrownBy(in::read).isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("5000 bytes");
    }
}
