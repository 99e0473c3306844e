package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.springframework.boot.test.system.CapturedOutput;

/**
 * Whether a test made the service log a failure: a WARN or an ERROR line, or a stack trace. A
 * client's mistake (a refused request, a slow body cut) is logged at DEBUG at most. Only what
 * follows a mark counts, so that startup's own warnings, captured with the first test, do not.
 */
final class LoggedFailures {

    /** A log line at WARN or ERROR, in Spring Boot's console format. */
    private static final Pattern WARN_OR_ERROR = Pattern.compile("^\\S+\\s+(WARN|ERROR)\\s", Pattern.MULTILINE);

    private LoggedFailures() {
    }

    /** Where the output captured so far ends. */
    static int mark(CapturedOutput output) {
        return output.getAll().length();
    }

    static void assertNoneSince(CapturedOutput output, int mark) {
        String logged = output.getAll().substring(mark);
        assertThat(WARN_OR_ERROR.matcher(logged).find()).as(logged).isFalse();
        assertThat(logged).doesNotContain("Exception");
    }
}
