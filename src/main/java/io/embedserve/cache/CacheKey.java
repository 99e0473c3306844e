package io.embedserve.cache;

import io.embedserve.inference.TokenizedInput;
import io.embedserve.inference.TruncationDirection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The per-input part of a cache key: what was embedded (a text, or a list of token ids) and how it
 * was truncated. Only the SHA-256 of the input is kept, never the text itself.
 */
final class CacheKey {

    /** Whether the hash is of a text or of token ids; a column of the key, so the two never collide. */
    enum Kind {
        TEXT, IDS;

        String column() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind fromColumn(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * The inputs that share one lookup clause: same kind, same truncation.
     *
     * @param direction TEI's wire word, "right" or "left"
     */
    record Group(Kind kind, int truncationLength, String direction) {}

    private final Group group;
    private final byte[] sha256;
    private final int hash;

    CacheKey(Kind kind, int truncationLength, String direction, byte[] sha256) {
        this.group = new Group(kind, truncationLength, direction);
        this.sha256 = sha256.clone();
        this.hash = 31 * group.hashCode() + Arrays.hashCode(sha256);
    }

    /** Text inputs hash their UTF-8 text (prompt included); id inputs hash their ids as int64 LE. */
    static CacheKey of(TokenizedInput input) {
        MessageDigest digest = newDigest();
        Kind kind;
        if (input.text() != null) {
            kind = Kind.TEXT;
            digest.update(input.text().getBytes(StandardCharsets.UTF_8));
        } else {
            kind = Kind.IDS;
            ByteBuffer ids = ByteBuffer.allocate(Long.BYTES * input.ids().length).order(ByteOrder.LITTLE_ENDIAN);
            ids.asLongBuffer().put(input.ids());
            digest.update(ids.array());
        }
        return new CacheKey(kind, input.truncationLength(), directionColumn(input.direction()), digest.digest());
    }

    static String directionColumn(TruncationDirection direction) {
        return direction.name().toLowerCase(Locale.ROOT);
    }

    Group group() {
        return group;
    }

    byte[] sha256() {
        return sha256.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CacheKey key && group.equals(key.group) && Arrays.equals(sha256, key.sha256);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return group + ":" + HexFormat.of().formatHex(sha256);
    }

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
