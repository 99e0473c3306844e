package io.embedserve.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.unit.DataSize;

/** Binds through the real application.yml, so TEI's variable names are tested as operators set them. */
class ServingPropertiesTest {

    @EnableConfigurationProperties(ServingProperties.class)
    static class Config {}

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withInitializer(new SettingsInitializer())
            .withUserConfiguration(Config.class);

    @Test
    void hasTeisDefaults() {
        runner.run(context -> {
            ServingProperties limits = context.getBean(ServingProperties.class);
            assertThat(limits.maxClientBatchSize()).isEqualTo(32);
            assertThat(limits.maxBatchTokens()).isEqualTo(16384);
            assertThat(limits.maxBatchRequests()).isEqualTo(64);
            assertThat(limits.maxConcurrentRequests()).isEqualTo(512);
            assertThat(limits.payloadLimit()).isEqualTo(DataSize.ofMegabytes(2));
            assertThat(limits.tokenizationWorkers()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(limits.splitClientBatches()).isFalse();
        });
    }

    @Test
    void readsTeisEnvironmentVariableNames() {
        runner.withPropertyValues("MAX_CLIENT_BATCH_SIZE=8", "MAX_BATCH_TOKENS=4096", "MAX_BATCH_REQUESTS=5",
                        "MAX_CONCURRENT_REQUESTS=20", "PAYLOAD_LIMIT=1000000", "TOKENIZATION_WORKERS=3", "AUTO_SPLIT=true")
                .run(context -> {
                    ServingProperties limits = context.getBean(ServingProperties.class);
                    assertThat(limits.maxClientBatchSize()).isEqualTo(8);
                    assertThat(limits.maxBatchTokens()).isEqualTo(4096);
                    assertThat(limits.maxBatchRequests()).isEqualTo(5);
                    assertThat(limits.maxConcurrentRequests()).isEqualTo(20);
                    assertThat(limits.payloadLimit().toBytes()).isEqualTo(1_000_000);
                    assertThat(limits.tokenizationWorkers()).isEqualTo(3);
                    assertThat(limits.splitClientBatches()).isTrue();
                });
    }

    @Test
    void readsTheRelaxedPropertyNamesToo() {
        runner.withPropertyValues("embedserve.serving.max-client-batch-size=7", "embedserve.serving.payload-limit=512KB")
                .run(context -> {
                    ServingProperties limits = context.getBean(ServingProperties.class);
                    assertThat(limits.maxClientBatchSize()).isEqualTo(7);
                    assertThat(limits.payloadLimit()).isEqualTo(DataSize.ofKilobytes(512));
                });
    }

    @Test
    void failsStartUpOnANonPositiveBatchSize() {
        runner.withPropertyValues("MAX_CLIENT_BATCH_SIZE=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("maxClientBatchSize");
        });
    }

    @Test
    void failsStartUpOnAZeroPayloadLimitNamingTheVariable() {
        runner.withPropertyValues("PAYLOAD_LIMIT=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("PAYLOAD_LIMIT");
        });
    }

    @Test
    void failsStartUpOnANonNumericValue() {
        runner.withPropertyValues("MAX_BATCH_TOKENS=lots").run(context -> assertThat(context).hasFailed());
    }
}
