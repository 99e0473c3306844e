package io.embedserve.model;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;

/**
 * Releases a memory mapping now instead of at some later garbage collection, so that widening a
 * large 16-bit tensor does not keep the whole source file resident. Java 17 has no public API for
 * this (FFM arenas arrive in 22); sun.misc.Unsafe.invokeCleaner is the supported escape hatch
 * (module jdk.unsupported). If it is unavailable the mapping is simply left to the GC.
 */
final class MappedBuffers {

    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method cleaner = null;
        try {
            Class<?> type = Class.forName("sun.misc.Unsafe");
            Field field = type.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            unsafe = field.get(null);
            cleaner = type.getMethod("invokeCleaner", ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            unsafe = null;
            cleaner = null;
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = cleaner;
    }

    private MappedBuffers() {}

    /** Unmaps {@code buffer}; it must not be used afterwards, nor any view of it. */
    static void unmap(ByteBuffer buffer) {
        if (INVOKE_CLEANER == null) {
            return;
        }
        try {
            INVOKE_CLEANER.invoke(UNSAFE, buffer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Left to the garbage collector; correctness does not depend on it.
        }
    }
}
