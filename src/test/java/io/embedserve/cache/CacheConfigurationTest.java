package io.embedserve.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.embedserve.config.PooledEncoderDecorator;
import io.embedserve.inference.ModelHolder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** When the cache is on, and how its pool is set up; no model and no database needed. */
class CacheConfigurationTest {

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(CacheConfiguration.class)
            .withBean(ModelHolder.class)
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    @Test
    void aDatabaseUrlTurnsTheCacheOnEvenWhileTheDatabaseIsDown() {
        runner.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none")
                .run(context -> {
                    assertThat(context).hasNotFailed()
                            .hasSingleBean(DataSource.class)
                            .hasSingleBean(EmbeddingCache.class)
                            .hasSingleBean(PooledEncoderDecorator.class)
                            .hasBean("embeddingCacheHealthIndicator");
                    HikariDataSource pool = context.getBean(HikariDataSource.class);
                    assertThat(pool.getMaximumPoolSize()).isEqualTo(6);
                    assertThat(pool.getConnectionTimeout()).isEqualTo(250);
                    assertThat(pool.getInitializationFailTimeout()).isEqualTo(-1);
                    assertThat(pool.getConnectionInitSql()).isEqualTo("SET statement_timeout = 200");
                });
    }

    @Test
    void theHikariPrefixTunesThePoolAndCacheSettingsBind() {
        runner.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none",
                        "spring.datasource.hikari.maximum-pool-size=9", "embedserve.cache.lookup-timeout=150ms",
                        "embedserve.cache.max-age=7d")
                .run(context -> {
                    assertThat(context.getBean(HikariDataSource.class).getMaximumPoolSize()).isEqualTo(9);
                    CacheProperties properties = context.getBean(CacheProperties.class);
                    assertThat(properties.lookupTimeout().toMillis()).isEqualTo(150);
                    assertThat(properties.maxAge().toDays()).isEqualTo(7);
                });
    }

    @Test
    void noUrlOrABlankOneMeansNoCacheAndNoDataSource() {
        runner.run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(DataSource.class).doesNotHaveBean(EmbeddingCache.class)
                .doesNotHaveBean(PooledEncoderDecorator.class));
        runner.withPropertyValues("spring.datasource.url= ").run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(DataSource.class).doesNotHaveBean(EmbeddingCache.class));
    }

    @Test
    void enabledFalseTurnsTheCacheOffDespiteAUrl() {
        runner.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none",
                        "embedserve.cache.enabled=false")
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(DataSource.class).doesNotHaveBean(EmbeddingCache.class));
    }

    @Test
    void aBadSettingStopsStartUpWithItsName() {
        runner.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none",
                        "embedserve.cache.lookup-timeout=0s")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("embedserve.cache.lookup-timeout"));
    }
}
