package io.embedserve.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * What one wrk run measured, read from the WRK_RESULT line that bench/wrk-corpus.lua's done()
 * prints. wrk counts an answer with status 400 or above as a status error; socket errors are
 * failed connects, reads and writes, and requests that timed out.
 */
record WrkResult(long requests, double seconds, long statusErrors, long socketErrors,
        double p50Millis, double p95Millis, double p99Millis, double maxMillis) {

    static final String MARKER = "WRK_RESULT ";

    /** Answers per second that succeeded: a failed answer is often a fast one and must not count. */
    double requestsPerSecond() {
        return (requests - statusErrors) / seconds;
    }

    boolean failed() {
        return statusErrors + socketErrors > 0;
    }

    String errors() {
        return statusErrors + " status, " + socketErrors + " socket";
    }

    /** Reads the result from wrk's whole output; fails when the line is missing (wrk or the script failed). */
    static WrkResult parse(String output) {
        String line = output.lines().filter(l -> l.startsWith(MARKER)).findFirst()
                .orElseThrow(() -> new IllegalStateException("wrk printed no " + MARKER.trim() + " line:\n" + output));
        Map<String, Long> values = new HashMap<>();
        for (String pair : line.substring(MARKER.length()).trim().split(" ")) {
            String[] nameValue = pair.split("=", 2);
            values.put(nameValue[0], Long.parseLong(nameValue[1]));
        }
        return new WrkResult(values.get("requests"), values.get("duration_us") / 1e6, values.get("status_errors"),
                values.get("connect_errors") + values.get("read_errors") + values.get("write_errors")
                        + values.get("timeouts"),
                values.get("p50_us") / 1e3, values.get("p95_us") / 1e3, values.get("p99_us") / 1e3,
                values.get("max_us") / 1e3);
    }
}
