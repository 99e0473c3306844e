package io.embedserve.testsupport;

import java.nio.file.Path;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The repository's migrations, applied as the compose {@code migrate} service applies them: plain
 * Flyway on the folder on disk, as the schema owner, with the app role's name and password as
 * placeholders. Tests connect as {@link #APP_USER} wherever they stand for the service.
 */
public final class Migrations {

    public static final String LOCATION = "filesystem:" + Path.of("src/main/resources/db/migration").toAbsolutePath();
    public static final String APP_USER = "embedserve_app";
    public static final String APP_PASSWORD = "app-role-test-password";

    private Migrations() {}

    public static FluentConfiguration flyway() {
        return Flyway.configure().locations(LOCATION)
                .placeholders(Map.of("app_db_user", APP_USER, "app_db_password", APP_PASSWORD));
    }

    /** Migrates as whoever {@code owner} connects as. */
    public static MigrateResult migrate(DataSource owner) {
        return flyway().dataSource(owner).load().migrate();
    }
}
