package io.embedserve.testsupport;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** A missing tool skips a test with its reason, except under CI, where it fails the build. */
class RequiredToolTest {

    @Test
    void aPresentToolLetsTheTestRunEverywhere() {
        assertThatCode(() -> RequiredTool.require(true, "unused", false)).doesNotThrowAnyException();
        assertThatCode(() -> RequiredTool.require(true, "unused", true)).doesNotThrowAnyException();
    }

    @Test
    void aMissingToolSkipsTheTestWithItsReasonOutsideCi() {
        assertThatThrownBy(() -> RequiredTool.require(false, "promtool is not installed", false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessage("promtool is not installed");
    }

    @Test
    void aMissingToolFailsTheTestUnderCi() {
        assertThatThrownBy(() -> RequiredTool.require(false, "promtool is not installed", true))
                .isInstanceOf(AssertionError.class)
                .hasMessage("promtool is not installed (CI=true: .ci/run installs it, so its absence fails the build"
                        + " instead of skipping the test)");
    }
}
