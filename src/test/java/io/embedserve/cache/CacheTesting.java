package io.embedserve.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.inference.TokenizedInput;
import io.embedserve.inference.TruncationDirection;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Small helpers shared by the cache tests. */
final class CacheTesting {

    static final KeyContext MODEL = new KeyContext("org/model", "a".repeat(40), "mean", "float32", CountingEncoder.DIMS);

    private CacheTesting() {}

    /** Settings for tests: generous lookup timeout (a shared 2-core machine), fast retries. */
    static CacheProperties settings(Duration lookupTimeout, int writeQueue, Duration maxAge, long maxRows) {
        return new CacheProperties(true, lookupTimeout, Duration.ofSeconds(10), maxAge, maxRows, Duration.ofHours(1),
                writeQueue, 64, Duration.ofMillis(100), Duration.ofMillis(400), 6);
    }

    static CacheProperties settings() {
        return settings(Duration.ofSeconds(2), 1024, Duration.ofDays(30), 0);
    }

    static TokenizedInput text(String text, long... ids) {
        return new TokenizedInput(text, ids, TruncationDirection.RIGHT, 128);
    }

    static TokenizedInput ids(long... ids) {
        return new TokenizedInput(null, ids, TruncationDirection.RIGHT, 128);
    }

    /** Exact equality of float bits, NaN payloads and signed zeros included. */
    static void assertSameBits(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Float.floatToRawIntBits(actual[i])).as("component %d", i)
                    .isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
