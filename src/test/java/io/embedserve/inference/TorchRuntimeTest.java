package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start-up warning names exactly the native settings the process lacks; the settings come from one file. */
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

    @Test
    void theTestJvmRunsWithEveryNativeSettingSoThePomsCopyCannotDrift() {
        // pom.xml sets the test JVMs' environment; a setting added to or changed in the file fails here.
        assertThat(TorchRuntime.missingNativeEnvironment(System.getenv())).isEmpty();
    }

    @Test
    void readsNameValueLinesInFileOrderAndSkipsCommentsAndBlankLines() {
        String file = "# why\n\nB_SETTING=2\n# more\nA_SETTING=PASSIVE\n";

        assertThat(TorchRuntime.parseEnvironment(file)).containsExactly(
                Map.entry("B_SETTING", "2"), Map.entry("A_SETTING", "PASSIVE"));
    }

    @Test
    void refusesALineTheLaunchersShellWouldReadDifferently() {
        assertThatThrownBy(() -> TorchRuntime.parseEnvironment("OMP_WAIT_POLICY = PASSIVE\n"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("OMP_WAIT_POLICY = PASSIVE");
        assertThatThrownBy(() -> TorchRuntime.parseEnvironment("export GOMP_SPINCOUNT=30000\n"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TorchRuntime.parseEnvironment("MALLOC_CONF=\"a b\"\n"))
                .isInstanceOf(IllegalStateException.class);
    }
}
