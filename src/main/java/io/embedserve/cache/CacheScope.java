package io.embedserve.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Whose cached vectors a request may read and write: part of every cache key. With API keys each
 * key has a scope of its own, so a hit (fast, with zero queue and inference time in its headers)
 * only ever tells a key what that same key embedded before; with an open API every caller shares
 * one scope, as they share everything else.
 *
 * <p>The transport binds the scope of the request's key to the thread that serves the request, for
 * the length of the request (as {@code Caller} binds the client-gone check). The cache
 * stage reads it on that thread; where nothing is bound it computes without the cache rather than
 * guess a scope.
 */
public final class CacheScope {

    /** Every caller of an API without keys. Stored as zero bytes. */
    public static final CacheScope OPEN = new CacheScope(new byte[0]);

    /** Separates the scope's hash from any other SHA-256 of a key. */
    private static final byte[] LABEL = "embedserve cache scope\0".getBytes(StandardCharsets.US_ASCII);
    private static final ThreadLocal<CacheScope> CURRENT = new ThreadLocal<>();

    private final byte[] id;

    private CacheScope(byte[] id) {
        this.id = id;
    }

    /**
     * The scope of one API key, from the SHA-256 the key store keeps of it: a second SHA-256 over a
     * label and that digest, so the database never holds the digest a key is checked against.
     */
    public static CacheScope ofApiKey(byte[] keySha256) {
        MessageDigest digest = CacheKey.newDigest();
        digest.update(LABEL);
        digest.update(keySha256);
        return new CacheScope(digest.digest());
    }

    /** Binds {@code scope} to the current thread until the returned binding is closed. */
    public static Binding bind(CacheScope scope) {
        CacheScope previous = CURRENT.get();
        CURRENT.set(scope);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** The current thread's scope, or null when nothing is bound. */
    static CacheScope current() {
        return CURRENT.get();
    }

    /** The bytes of the key's scope column: empty for {@link #OPEN}, 32 for a key. */
    byte[] id() {
        return id.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CacheScope scope && Arrays.equals(id, scope.id);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(id);
    }

    /** Short enough for a log line; the first bytes do not identify the key. */
    @Override
    public String toString() {
        return id.length == 0 ? "open" : "key:" + HexFormat.of().formatHex(id, 0, 4);
    }

    /** Ends a binding; closing does not throw. */
    @FunctionalInterface
    public interface Binding extends AutoCloseable {
        @Override
        void close();
    }
}
