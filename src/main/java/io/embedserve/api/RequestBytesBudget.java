package io.embedserve.api;

import io.embedserve.error.OverloadedException;
import java.util.concurrent.Semaphore;

/**
 * A budget of request-body bytes being read, parsed and held at once (MAX_REQUEST_BYTES_IN_FLIGHT).
 * A body takes its share before its first byte is read — its declared Content-Length, or the
 * payload limit when the length is not declared (chunked) — and gives it back when its request
 * ends. Parsing a JSON body costs the heap many times the body's size (20-58 MiB measured for a
 * 2 MB body, docs/PERFORMANCE.md), so without this bound enough concurrent large bodies exhaust the
 * heap whatever the payload limit; with it, a body that does not fit is answered 429 at once,
 * before it is parsed.
 */
final class RequestBytesBudget {

    /**
     * Parsing takes up to ~30× a body's bytes of heap; a sixty-fourth of the heap in bodies keeps
     * that under half the heap, leaving the rest to everything else the service holds.
     */
    static final int HEAP_SHARE = 64;

    private final long capacity;
    private final Semaphore kibibytes;

    /** @param capacity bytes that may be in flight at once; at least one payload's worth */
    RequestBytesBudget(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the request-bytes budget must be positive, got " + capacity);
        }
        this.capacity = capacity;
        this.kibibytes = new Semaphore(toKibibytes(capacity));
    }

    /** The default capacity: a share of the heap, never less than one body at the payload limit. */
    static long defaultCapacity(long maxHeapBytes, long payloadLimit) {
        return Math.max(payloadLimit, maxHeapBytes / HEAP_SHARE);
    }

    long capacity() {
        return capacity;
    }

    /** Takes {@code bytes} of the budget or throws OverloadedException; close the share to return it. */
    Share take(long bytes) {
        int units = Math.max(1, toKibibytes(Math.min(bytes, capacity)));
        if (!kibibytes.tryAcquire(units)) {
            throw new OverloadedException("Too many request bytes in flight: more than " + capacity
                    + " bytes of request bodies are being read or processed (MAX_REQUEST_BYTES_IN_FLIGHT). Retry later.");
        }
        return new Share(units);
    }

    /** Bytes of the budget taken right now, rounded up to KiB. */
    long inFlight() {
        return (long) (toKibibytes(capacity) - kibibytes.availablePermits()) * 1024;
    }

    private static int toKibibytes(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, (bytes + 1023) / 1024);
    }

    /** A body's share of the budget; closing twice returns it once. */
    final class Share implements AutoCloseable {
        private final int units;
        private boolean closed;

        private Share(int units) {
            this.units = units;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                kibibytes.release(units);
            }
        }
    }
}
