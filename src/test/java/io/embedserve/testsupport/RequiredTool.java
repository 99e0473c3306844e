package io.embedserve.testsupport;

import org.junit.jupiter.api.Assumptions;

/**
 * A tool a test needs that .ci/run installs (Chromium, kubectl, promtool, node and the JavaScript
 * clients, jemalloc, the PostgreSQL client, busybox, ...). Where it is missing, the test is skipped
 * with the reason; but under {@code CI=true}, where .ci/run was to install it, a missing tool is a
 * failure, so that CI never passes with the test quietly skipped. Only what a CI machine cannot have
 * (a Docker engine) may skip there, and those tests do not use this.
 */
public final class RequiredTool {

    private RequiredTool() {}

    /** Whether this run is CI's ({@code CI=true}, as GitHub Actions, GitLab and .ci/run's callers set). */
    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Returns when {@code present}; otherwise skips the test with {@code reason}, or under CI fails
     * it with the same reason.
     */
    public static void require(boolean present, String reason) {
        require(present, reason, underCi());
    }

    static void require(boolean present, String reason, boolean underCi) {
        if (present) {
            return;
        }
        if (underCi) {
            throw new AssertionError(reason + " (CI=true: .ci/run installs it, so its absence fails the build"
                    + " instead of skipping the test)");
        }
        Assumptions.abort(reason);
    }

    /** For {@code @EnabledIf}: a class whose tool is missing is disabled (skipped, with its reason) unless under CI. */
    public static boolean runsHere(boolean present) {
        return present || underCi();
    }
}
