package io.embedserve.cache;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The embedding_cache table (V1__embedding_cache.sql) in plain JDBC. Lookups use the connection's
 * own statement_timeout (set to the lookup timeout when the pool opens the connection); background
 * work runs in transactions that raise it with SET LOCAL.
 */
final class CacheStore {

    /**
     * A stored vector (null if its bytes are no float32 vector at all), and whether its
     * last_used_at is old enough to be refreshed.
     */
    record Hit(float[] vector, boolean stale) {}

    /** One row to insert. */
    record Row(KeyContext context, CacheScope scope, CacheKey key, byte[] vector) {}

    private static final String INSERT = """
            INSERT INTO embedding_cache (model_id, revision, pooling, dtype, scope, input_kind, truncation_length,
                                         truncation_direction, text_sha256, dims, vector)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING""";

    private static final String TOUCH = """
            UPDATE embedding_cache SET last_used_at = now()
            WHERE model_id = ? AND revision = ? AND pooling = ? AND dtype = ? AND scope = ?
              AND input_kind = ? AND truncation_length = ? AND truncation_direction = ? AND text_sha256 = ANY (?)""";

    /**
     * Deletes one chunk of rows unused for longer than the given milliseconds, by the database's
     * clock (replicas' clocks may disagree). Chunks keep each transaction and its locks short.
     */
    private static final String DELETE_UNUSED = """
            DELETE FROM embedding_cache WHERE ctid = ANY (ARRAY(
                SELECT ctid FROM embedding_cache WHERE last_used_at < now() - ? * interval '1 millisecond' LIMIT ?))""";

    /** The last_used_at of the newest row past the budget: that row and older ones go. */
    private static final String BUDGET_CUTOFF = """
            SELECT last_used_at FROM embedding_cache ORDER BY last_used_at DESC OFFSET ? LIMIT 1""";

    private static final String DELETE_USED_BY = """
            DELETE FROM embedding_cache WHERE ctid = ANY (ARRAY(
                SELECT ctid FROM embedding_cache WHERE last_used_at <= ? LIMIT ?))""";

    private final DataSource dataSource;
    private final Duration backgroundTimeout;

    CacheStore(DataSource dataSource, Duration backgroundTimeout) {
        this.dataSource = dataSource;
        this.backgroundTimeout = backgroundTimeout;
    }

    /**
     * Looks up every key in one statement: one OR-clause per group (in practice one), each matching
     * its hashes with {@code = ANY(?)} on the primary key.
     */
    Map<CacheKey, Hit> find(KeyContext context, CacheScope scope, Collection<CacheKey> keys, Duration touchAfter)
            throws SQLException {
        Map<CacheKey.Group, List<CacheKey>> groups = byGroup(keys);
        StringBuilder sql = new StringBuilder("""
                SELECT input_kind, truncation_length, truncation_direction, text_sha256, vector,
                       last_used_at < now() - ? * interval '1 millisecond' AS stale
                FROM embedding_cache
                WHERE model_id = ? AND revision = ? AND pooling = ? AND dtype = ? AND scope = ? AND (""");
        for (int i = 0; i < groups.size(); i++) {
            sql.append(i == 0 ? "" : " OR ").append(
                    "(input_kind = ? AND truncation_length = ? AND truncation_direction = ? AND text_sha256 = ANY (?))");
        }
        sql.append(')');
        Map<CacheKey, Hit> hits = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int p = 1;
            statement.setLong(p++, touchAfter.toMillis());
            p = setContext(statement, p, context, scope);
            for (Map.Entry<CacheKey.Group, List<CacheKey>> group : groups.entrySet()) {
                p = setGroup(statement, p, group.getKey());
                statement.setArray(p++, hashes(connection, group.getValue()));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    CacheKey key = new CacheKey(CacheKey.Kind.fromColumn(rows.getString(1)), rows.getInt(2),
                            rows.getString(3), rows.getBytes(4));
                    byte[] stored = rows.getBytes(5);
                    float[] vector = stored.length % Float.BYTES == 0 ? VectorCodec.decode(stored) : null;
                    hits.put(key, new Hit(vector, rows.getBoolean(6)));
                }
            }
        }
        return hits;
    }

    /** Inserts rows that are not there yet (another replica may have written them first). */
    int insert(List<Row> rows) throws SQLException {
        return inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
                for (Row row : rows) {
                    int p = setContext(statement, 1, row.context(), row.scope());
                    p = setGroup(statement, p, row.key().group());
                    statement.setBytes(p++, row.key().sha256());
                    statement.setInt(p++, row.vector().length / Float.BYTES);
                    statement.setBytes(p, row.vector());
                    statement.addBatch();
                }
                int inserted = 0;
                for (int count : statement.executeBatch()) {
                    inserted += count == Statement.SUCCESS_NO_INFO ? 1 : Math.max(count, 0);
                }
                return inserted;
            }
        });
    }

    /** Sets last_used_at to now for the given keys, one statement per group. */
    void touch(KeyContext context, CacheScope scope, Collection<CacheKey> keys) throws SQLException {
        Map<CacheKey.Group, List<CacheKey>> groups = byGroup(keys);
        inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(TOUCH)) {
                for (Map.Entry<CacheKey.Group, List<CacheKey>> group : groups.entrySet()) {
                    int p = setContext(statement, 1, context, scope);
                    p = setGroup(statement, p, group.getKey());
                    statement.setArray(p, hashes(connection, group.getValue()));
                    statement.addBatch();
                }
                statement.executeBatch();
                return null;
            }
        });
    }

    /** Deletes rows not used for longer than {@code maxAge}, in chunks; returns how many went. */
    long deleteUnusedFor(Duration maxAge, int chunk) throws SQLException {
        return deleteInChunks(DELETE_UNUSED, maxAge.toMillis(), chunk);
    }

    /** Deletes the least recently used rows beyond {@code maxRows}; returns how many went. */
    long trimTo(long maxRows, int chunk) throws SQLException {
        OffsetDateTime cutoff = inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(BUDGET_CUTOFF)) {
                statement.setLong(1, maxRows);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? row.getObject(1, OffsetDateTime.class) : null;
                }
            }
        });
        return cutoff == null ? 0 : deleteInChunks(DELETE_USED_BY, cutoff, chunk);
    }

    /** Proves the database answers and the table is there (the migration has run). */
    void probe() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1 FROM embedding_cache LIMIT 1");
        }
    }

    private long deleteInChunks(String sql, Object bound, int chunk) throws SQLException {
        long total = 0;
        int deleted;
        do {
            deleted = inTransaction(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.setObject(1, bound);
                    statement.setInt(2, chunk);
                    return statement.executeUpdate();
                }
            });
            total += deleted;
        } while (deleted == chunk);
        return total;
    }

    private static int setContext(PreparedStatement statement, int p, KeyContext context, CacheScope scope)
            throws SQLException {
        statement.setString(p++, context.modelId());
        statement.setString(p++, context.revision());
        statement.setString(p++, context.pooling());
        statement.setString(p++, context.dtype());
        statement.setBytes(p++, scope.id());
        return p;
    }

    private static int setGroup(PreparedStatement statement, int p, CacheKey.Group group) throws SQLException {
        statement.setString(p++, group.kind().column());
        statement.setInt(p++, group.truncationLength());
        statement.setString(p++, group.direction());
        return p;
    }

    /** Keys that share kind and truncation share one clause of a statement. */
    private static Map<CacheKey.Group, List<CacheKey>> byGroup(Collection<CacheKey> keys) {
        Map<CacheKey.Group, List<CacheKey>> groups = new LinkedHashMap<>();
        keys.forEach(key -> groups.computeIfAbsent(key.group(), g -> new ArrayList<>()).add(key));
        return groups;
    }

    private static Array hashes(Connection connection, List<CacheKey> keys) throws SQLException {
        byte[][] hashes = new byte[keys.size()][];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = keys.get(i).sha256();
        }
        return connection.createArrayOf("bytea", hashes);
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * One transaction with the background statement_timeout; SET LOCAL ends with it, and the pool
     * restores auto-commit when the connection goes back.
     */
    private <T> T inTransaction(SqlWork<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET LOCAL statement_timeout = " + backgroundTimeout.toMillis());
                }
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
