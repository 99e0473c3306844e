package io.embedserve.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class CachePropertiesTest {

    @Test
    void bindsTheDocumentedDefaultsWhenNothingIsSet() {
        CacheProperties defaults = new Binder(new MapConfigurationPropertySource())
                .bindOrCreate("embedserve.cache", CacheProperties.class);

        assertThat(defaults.lookupTimeout()).isEqualTo(Duration.ofMillis(200));
        assertThat(defaults.maxAge()).isEqualTo(Duration.ofDays(30));
        assertThat(defaults.maxRows()).as("bounded by default").isPositive();
        assertThat(defaults.enabled()).isTrue();
        assertThat(defaults.writeQueue()).isEqualTo(4096);
        assertThat(defaults.retryBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.poolSize()).isEqualTo(6);
        assertThat(defaults.lookupThreads()).isEqualTo(4);
        assertThat(defaults.touchAfter()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void refreshesLastUseAtATenthOfMaxAgeWhenThatIsShorterThanAnHour() {
        CacheProperties tenMinutes = CacheTesting.settings(Duration.ofMillis(200), 1, Duration.ofMinutes(10), 0);

        assertThat(tenMinutes.touchAfter()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void badDurationsFailWithTheSettingsName() {
        assertThatThrownBy(() -> CacheTesting.settings(Duration.ZERO, 1, Duration.ofDays(1), 0))
                .hasMessageContaining("embedserve.cache.lookup-timeout");
        assertThatThrownBy(() -> CacheTesting.settings(Duration.ofMillis(1), 1, Duration.ofDays(-1), 0))
                .hasMessageContaining("EMBEDSERVE_CACHE_MAX_AGE");
    }

    @Test
    void storedVectorsKeepEveryBit() {
        float[] vector = {-0.0f, Float.MIN_VALUE, Float.intBitsToFloat(0x7fc0beef), Float.NEGATIVE_INFINITY, 1e-3f};

        byte[] stored = VectorCodec.encode(vector);

        assertThat(stored).hasSize(20);
        assertThat(stored[0]).as("little-endian: low byte first").isEqualTo((byte) 0);
        assertThat(stored[3]).isEqualTo((byte) 0x80);
        CacheTesting.assertSameBits(VectorCodec.decode(stored), vector);
    }
}
