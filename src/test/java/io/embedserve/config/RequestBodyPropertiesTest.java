package io.embedserve.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The minimum body rate: nothing is measured within the grace time, the rate counts from its end. */
class RequestBodyPropertiesTest {

    final RequestBodyProperties pace = new RequestBodyProperties(DataSize.ofKilobytes(16), Duration.ofSeconds(5));

    @Test
    void aBodyWithinTheGraceTimeIsNeverTooSlow() {
        assertThat(pace.tooSlow(0, Duration.ofMillis(4_999))).isFalse();
        assertThat(pace.tooSlow(0, Duration.ofSeconds(5))).isFalse();
    }

    @Test
    void afterTheGraceTimeTheBodyMustKeepUpTheRateCountedFromItsEnd() {
        // one second past the grace time: 16 KiB due
        assertThat(pace.tooSlow(16 * 1024 - 1, Duration.ofSeconds(6))).isTrue();
        assertThat(pace.tooSlow(16 * 1024, Duration.ofSeconds(6))).isFalse();
        // a byte a second falls behind at once
        assertThat(pace.tooSlow(6, Duration.ofMillis(6_000))).isTrue();
        // two minutes past it, 2 MB is just in time
        assertThat(pace.tooSlow(2 * 1024 * 1024, Duration.ofSeconds(5 + 128))).isFalse();
    }

    @Test
    void aRateOfZeroOrANegativeGraceStopsStartUpWithTheVariableName() {
        assertThatThrownBy(() -> new RequestBodyProperties(DataSize.ofBytes(0), Duration.ofSeconds(5)))
                .hasMessageContaining("EMBEDSERVE_REQUEST_BODY_MIN_RATE");
        assertThatThrownBy(() -> new RequestBodyProperties(DataSize.ofKilobytes(1), Duration.ofSeconds(-1)))
                .hasMessageContaining("EMBEDSERVE_REQUEST_BODY_GRACE");
    }
}
