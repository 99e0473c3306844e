package io.embedserve.cache;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.boot.jdbc.DataSourceBuilder;

/**
 * The connection pool the cache runs on. Spring Boot's DataSource auto-configuration is excluded
 * (without a URL the service must start with no database at all), so the pool is built here, tuned
 * for a cache that must never hold a request up.
 */
final class CacheDataSource {

    private CacheDataSource() {}

    static HikariDataSource create(DataSourceBuilder<?> builder, CacheProperties properties) {
        HikariDataSource pool = builder.type(HikariDataSource.class).build();
        pool.setPoolName("embedding-cache");
        pool.setMaximumPoolSize(properties.poolSize());
        pool.setMinimumIdle(1);
        // HikariCP's floor; requests never wait this long, CacheLookup's deadline answers first.
        pool.setConnectionTimeout(250);
        pool.setValidationTimeout(250);
        // Start even when Postgres is down: the cache begins degraded and recovers by itself.
        pool.setInitializationFailTimeout(-1);
        // Lookups inherit the lookup timeout on the server too; background work raises it per transaction.
        pool.setConnectionInitSql("SET statement_timeout = " + properties.lookupTimeout().toMillis());
        pool.addDataSourceProperty("connectTimeout", "2");
        // A backstop for a peer that vanished without closing the socket (seconds).
        pool.addDataSourceProperty("socketTimeout",
                String.valueOf(Math.max(10, properties.backgroundTimeout().toSeconds() + 5)));
        pool.addDataSourceProperty("ApplicationName", "embedserve-cache");
        return pool;
    }
}
