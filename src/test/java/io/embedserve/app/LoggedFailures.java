package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.test.system.CapturedOutput;

/**
 * Whether a test made the service log a failure while serving requests: a WARN or an ERROR entry,
 * or a stack trace, logged on one of Tomcat's request threads. A client's mistake (a refused
 * request, a slow body cut) is logged at DEBUG at most. Only what follows a mark counts, so that
 * startup's own warnings, captured with the first test, do not; and only request threads count,
 * since other application contexts that tests left open in the same JVM keep their background
 * threads (a connection pool whose database is gone) logging beside it.
 */
final class LoggedFailures {

    /** The start of a log entry in Spring Boot's console format: time, level, pid, application, thread. */
    private static final Pattern ENTRY = Pattern.compile(
            "^\\S+\\s+(TRACE|DEBUG|INFO|WARN|ERROR)\\s+\\d+ --- \\[[^]]*] \\[\\s*([^]]*)]", Pattern.MULTILINE);

    private LoggedFailures() {
    }

    /** Where the output captured so far ends. */
    static int mark(CapturedOutput output) {
        return output.getAll().length();
    }

    static void assertNoneSince(CapturedOutput output, int mark) {
        String logged = output.getAll().substring(mark);
        assertThat(failuresOnRequestThreads(logged)).as(logged).isEmpty();
    }

    static List<String> failuresOnRequestThreads(String logged) {
        record Entry(int start, String level, String thread) {}
        List<Entry> entries = new ArrayList<>();
        Matcher entry = ENTRY.matcher(logged);
        while (entry.find()) {
            entries.add(new Entry(entry.start(), entry.group(1), entry.group(2)));
        }
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry current = entries.get(i);
            int end = i + 1 < entries.size() ? entries.get(i + 1).start() : logged.length();
            String text = logged.substring(current.start(), end);
            boolean failure = current.level().equals("WARN") || current.level().equals("ERROR")
                    || text.contains("Exception");
            // Tomcat's request threads, as the console shows them (the name's last 15 characters)
            if (failure && current.thread().contains("exec-")) {
                failures.add(text);
            }
        }
        return failures;
    }
}
