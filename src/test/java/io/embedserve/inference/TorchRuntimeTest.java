package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start-up warning names exactly the native settings the process lacks. */
class TorchRuntimeTest {

    @Test
    void namesEveryMissingOrDifferentNativeSetting() {
        assertThat(TorchRuntime.missingNativeEnvironment(Map.of("OMP_WAIT_POLICY", "PASSIVE", "MALLOC_ARENA_MAX", "4")))
                .containsExactly("GOMP_SPINCOUNT=30000", "MALLOC_ARENA_MAX=1", "MALLOC_MMAP_THRESHOLD_=1048576",
                        "MALLOC_TRIM_THRESHOLD_=1000000000");
    }

    @Test
    void namesNothingWhenTheServiceIsStartedAsDocumented() {
        assertThat(TorchRuntime.missingNativeEnvironment(TorchRuntime.NATIVE_ENVIRONMENT)).isEmpty();
    }
}
