package io.embedserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import javax.sql.DataSource;
import io.embedserve.testsupport.Migrations;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The Flyway migrations that the compose {@code migrate} service applies, run the same way
 * (filesystem location, plain Flyway) against a real Postgres.
 */
class EmbeddingCacheMigrationTest {

    private static final String INSERT = """
            INSERT INTO embedding_cache (model_id, revision, pooling, truncation_length, truncation_direction,
                                         text_sha256, dims, vector)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate jdbc;
    private static MigrateResult migration;

    @BeforeAll
    static void migrate() throws IOException {
        postgres = EmbeddedPostgres.start();
        DataSource dataSource = postgres.getPostgresDatabase();
        migration = Migrations.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Test
    void migrationsApplyCleanlyAndAreRecordedInFlywaySchemaHistory() {
        assertThat(migration.success).isTrue();
        assertThat(migration.migrationsExecuted).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.queryForList("SELECT version FROM flyway_schema_history WHERE success", String.class))
                .contains("1");
    }

    @Test
    void storesAndReturnsALittleEndianFloat32VectorBitExactly() {
        float[] vector = {0.25f, -1.5f, Float.MIN_VALUE, 3.4028235e38f};
        byte[] sha = sha(1);
        jdbc.update(INSERT, "org/model", "c".repeat(40), "mean", 128, "right", sha, 4, littleEndian(vector));

        byte[] stored = jdbc.queryForObject(
                "SELECT vector FROM embedding_cache WHERE text_sha256 = ?", byte[].class, (Object) sha);

        ByteBuffer buffer = ByteBuffer.wrap(stored).order(ByteOrder.LITTLE_ENDIAN);
        for (float expected : vector) {
            assertThat(Float.floatToRawIntBits(buffer.getFloat())).isEqualTo(Float.floatToRawIntBits(expected));
        }
    }

    @Test
    void theSameTextUnderAnotherSettingIsAnotherEntryButAnExactRepeatIsRejected() {
        byte[] sha = sha(2);
        byte[] vector = littleEndian(new float[] {1f, 2f});
        jdbc.update(INSERT, "org/model", "c".repeat(40), "mean", 128, "right", sha, 2, vector);
        jdbc.update(INSERT, "org/model", "c".repeat(40), "mean", 128, "left", sha, 2, vector);
        jdbc.update(INSERT, "org/model", "c".repeat(40), "cls", 128, "right", sha, 2, vector);
        jdbc.update(INSERT, "org/model", "d".repeat(40), "mean", 128, "right", sha, 2, vector);

        assertThatThrownBy(() -> jdbc.update(INSERT, "org/model", "c".repeat(40), "mean", 128, "right", sha, 2, vector))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("embedding_cache_pkey");
    }

    @Test
    void theSameTextUnderAnotherDtypeIsAnotherEntryAndOlderRowsAreFloat32() {
        byte[] sha = sha(4);
        byte[] vector = littleEndian(new float[] {1f});
        jdbc.update(INSERT, "org/model", "e".repeat(40), "mean", 128, "right", sha, 1, vector);
        jdbc.update("""
                INSERT INTO embedding_cache (model_id, revision, pooling, dtype, truncation_length,
                                             truncation_direction, text_sha256, dims, vector)
                VALUES ('org/model', ?, 'mean', 'bfloat16', 128, 'right', ?, 1, ?)""", "e".repeat(40), sha, vector);

        assertThat(jdbc.queryForList("SELECT dtype FROM embedding_cache WHERE text_sha256 = ? ORDER BY dtype",
                String.class, (Object) sha)).containsExactly("bfloat16", "float32");
        assertThatThrownBy(() -> jdbc.update("UPDATE embedding_cache SET dtype = 'float16' WHERE text_sha256 = ?",
                        (Object) sha))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("embedding_cache_dtype_known");
    }

    @Test
    void rejectsAVectorWhoseLengthDisagreesWithDims() {
        assertThatThrownBy(() -> jdbc.update(INSERT, "org/model", "c".repeat(40), "mean", 128, "right", sha(3), 3,
                        littleEndian(new float[] {1f, 2f})))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("embedding_cache_vector_length");
    }

    @Test
    void rejectsATextHashThatIsNotSha256() {
        assertThatThrownBy(() -> jdbc.update(INSERT, "org/model", "c".repeat(40), "mean", 128, "right", new byte[20],
                        1, littleEndian(new float[] {1f})))
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("embedding_cache_text_sha256_length");
    }

    @Test
    void expiryByLastUseHasAnIndex() {
        List<String> indexes = jdbc.queryForList(
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'embedding_cache'", String.class);

        assertThat(indexes).anySatisfy(def -> assertThat(def).contains("(last_used_at)"));
    }

    private static byte[] sha(int seed) {
        byte[] sha = new byte[32];
        sha[0] = (byte) seed;
        return sha;
    }

    private static byte[] littleEndian(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * vector.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : vector) {
            buffer.putFloat(value);
        }
        return buffer.array();
    }
}
