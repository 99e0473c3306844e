package io.embedserve.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The migrations, applied as the compose migrate service applies them, on a real Postgres. */
class MigrationTest {

    static PGSimpleDataSource database;
    static MigrateResult first;

    @BeforeAll
    static void migrateEmptyDatabase() {
        database = new PGSimpleDataSource();
        database.setUrl(CachePostgres.newDatabase());
        first = CachePostgres.migrate(database);
    }

    @Test
    void migrationsApplyToAnEmptyDatabaseAndASecondRunIsANoOp() {
        assertThat(first.success).isTrue();
        assertThat(first.migrationsExecuted)
                .as("V1, the app role, the dtype key, the app role's column-level UPDATE and the scope key").isEqualTo(5);
        assertThat(first.targetSchemaVersion).isEqualTo("5");

        MigrateResult second = CachePostgres.migrate(database);

        assertThat(second.success).isTrue();
        assertThat(second.migrationsExecuted).isZero();
        assertThat(CachePostgres.count(database, "SELECT count(*) FROM flyway_schema_history WHERE success")).isEqualTo(5);
    }

    @Test
    void theKeyIncludesTheInputKindSoATextAndAnIdListCanShareAHash() throws SQLException {
        byte[] hash = new byte[32];
        insert("text", hash, 1);
        insert("ids", hash, 1);

        assertThatThrownBy(() -> insert("text", hash, 1)).hasMessageContaining("embedding_cache_pkey");
        assertThatThrownBy(() -> insert("words", new byte[32], 1)).hasMessageContaining("embedding_cache_input_kind_known");
    }

    @Test
    void theKeyIncludesTheScopeSoTwoApiKeysKeepTheirOwnRowsOfOneText() throws SQLException {
        byte[] hash = new byte[32];
        hash[0] = 42;
        byte[] oneKey = new byte[32];
        byte[] anotherKey = new byte[32];
        anotherKey[31] = 1;
        insert(new byte[0], hash);
        insert(oneKey, hash);
        insert(anotherKey, hash);

        assertThat(CachePostgres.count(database, "SELECT count(*) FROM embedding_cache WHERE text_sha256 = '\\x2a"
                + "00".repeat(31) + "'")).isEqualTo(3);
        assertThatThrownBy(() -> insert(oneKey, hash)).hasMessageContaining("embedding_cache_pkey");
        assertThatThrownBy(() -> insert(new byte[5], hash)).hasMessageContaining("embedding_cache_scope_length");
    }

    @Test
    void rowsWithoutAScopeBelongToTheOpenApi() {
        assertThat(CachePostgres.count(database, "SELECT count(*) FROM embedding_cache WHERE scope <> ''::bytea"
                + " AND model_id = 'm' AND revision = 'r'")).as("inserts that name no scope").isZero();
    }

    @Test
    void rejectsVectorsWhoseLengthDisagreesWithDimsAndHashesThatAreNotSha256() {
        assertThatThrownBy(() -> insert("text", new byte[] {1}, 1)).hasMessageContaining("embedding_cache_text_sha256_length");
        byte[] hash = new byte[32];
        hash[0] = 9;
        assertThatThrownBy(() -> insert("text", hash, 3)).hasMessageContaining("embedding_cache_vector_length");
    }

    @Test
    void expiryHasAnIndexOnLastUse() {
        List<String> indexes = new java.util.ArrayList<>();
        try (Connection c = database.getConnection();
                var rows = c.createStatement().executeQuery(
                        "SELECT indexdef FROM pg_indexes WHERE tablename = 'embedding_cache'")) {
            while (rows.next()) {
                indexes.add(rows.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(indexes).anySatisfy(def -> assertThat(def).endsWith("(last_used_at)"));
    }

    private static void insert(byte[] scope, byte[] hash) throws SQLException {
        try (Connection c = database.getConnection(); PreparedStatement insert = c.prepareStatement("""
                INSERT INTO embedding_cache (model_id, revision, pooling, truncation_length, truncation_direction,
                                             scope, text_sha256, dims, vector)
                VALUES ('scoped', 'r', 'mean', 128, 'right', ?, ?, 1, ?)""")) {
            insert.setBytes(1, scope);
            insert.setBytes(2, hash);
            insert.setBytes(3, VectorCodec.encode(new float[] {1f}));
            insert.executeUpdate();
        }
    }

    private static void insert(String kind, byte[] hash, int dims) throws SQLException {
        try (Connection c = database.getConnection(); PreparedStatement insert = c.prepareStatement("""
                INSERT INTO embedding_cache (model_id, revision, pooling, truncation_length, truncation_direction,
                                             input_kind, text_sha256, dims, vector)
                VALUES ('m', 'r', 'mean', 128, 'right', ?, ?, ?, ?)""")) {
            insert.setString(1, kind);
            insert.setBytes(2, hash);
            insert.setInt(3, dims);
            insert.setBytes(4, VectorCodec.encode(new float[] {1f}));
            insert.executeUpdate();
        }
    }
}
