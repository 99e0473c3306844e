package io.embedserve.cache;

import com.zaxxer.hikari.HikariDataSource;
import io.embedserve.config.PooledEncoderDecorator;
import io.embedserve.inference.ModelHolder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the Postgres embedding cache when a database is configured (see {@link CacheEnabledCondition}):
 * the DataSource (spring.datasource.url/username/password, and spring.datasource.hikari.* to tune
 * the pool), the cache, its health entry, and a {@link PooledEncoderDecorator} that puts the cache
 * in front of the batch queue. Without a URL none of these beans exist. The app never migrates: the
 * schema comes from the one-shot migrate service.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(CacheEnabledCondition.class)
@EnableConfigurationProperties({CacheProperties.class, DataSourceProperties.class})
class CacheConfiguration {

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(DataSourceProperties dataSource, CacheProperties cache) {
        return CacheDataSource.create(dataSource.initializeDataSourceBuilder(), cache);
    }

    @Bean(destroyMethod = "close")
    EmbeddingCache embeddingCache(HikariDataSource dataSource, CacheProperties properties, MeterRegistry registry,
            ObjectProvider<Tracer> tracer) {
        return new EmbeddingCache(dataSource, properties, registry, tracer.getIfAvailable(() -> Tracer.NOOP));
    }

    @Bean
    PooledEncoderDecorator embeddingCacheDecorator(EmbeddingCache cache, ModelHolder holder) {
        ModelKeyContexts contexts = new ModelKeyContexts(holder);
        return inner -> cache.wrap(inner, contexts, CacheScope::current);
    }

    @Bean
    EmbeddingCacheHealthIndicator embeddingCacheHealthIndicator(EmbeddingCache cache) {
        return new EmbeddingCacheHealthIndicator(cache);
    }
}
