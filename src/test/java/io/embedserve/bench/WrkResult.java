package io.embedserve.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * What one wrk run measured, read from the WRK_RESULT line that bench/wrk-corpus.lua's done()
 * prints. wrk counts an answer with status 400 or above as a status error; socket errors are
 * failed connects, reads and writes, and requests that timed out. Latencies are NaN when no
 * request completed.
 */
record WrkResult(int connections, long requests, double seconds, long statusErrors, long socketErrors,
        double p50Millis, double p95Millis, double p99Millis, double maxMillis) {

    static final String MARKER = "WRK_RESULT ";

    /** Answers per second that succeeded: a failed answer is often a fast one and must not count. */
    double requestsPerSecond() {
        return (requests - statusErrors) / seconds;
    }

    /**
     * Why the run's figures are not valid, or null. Besides failed answers: fewer completed
     * requests than connections means some connections waited longer than the run lasted, and
     * wrk drops what is in flight when the run ends, so the rate says little.
     */
    String problem() {
        if (statusErrors + socketErrors > 0) {
            return statusErrors + " status errors, " + socketErrors + " socket errors";
        }
        if (requests < connections) {
            return "only " + requests + " answers for " + connections + " connections: the run is shorter than the latency";
        }
        return null;
    }

    boolean failed() {
        return problem() != null;
    }

    /** Reads the result from wrk's whole output; fails when the line is missing (wrk or the script failed). */
    static WrkResult parse(String output, int connections) {
        String line = output.lines().filter(l -> l.startsWith(MARKER)).findFirst()
                .orElseThrow(() -> new IllegalStateException("wrk printed no " + MARKER.trim() + " line:\n" + output));
        Map<String, Long> values = new HashMap<>();
        for (String pair : line.substring(MARKER.length()).trim().split(" ")) {
            String[] nameValue = pair.split("=", 2);
            values.put(nameValue[0], Long.parseLong(nameValue[1]));
        }
        long requests = values.get("requests");
        return new WrkResult(connections, requests, values.get("duration_us") / 1e6, values.get("status_errors"),
                values.get("connect_errors") + values.get("read_errors") + values.get("write_errors")
                        + values.get("timeouts"),
                millis(values.get("p50_us"), requests), millis(values.get("p95_us"), requests),
                millis(values.get("p99_us"), requests), millis(values.get("max_us"), requests));
    }

    private static double millis(long micros, long requests) {
        return requests == 0 ? Double.NaN : micros / 1e3;
    }
}
