package io.embedserve.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Reading what bench/wrk-corpus.lua's done() prints, in the middle of wrk's own output. */
class WrkResultTest {

    private static final String OUTPUT = """
            Running 20s test @ http://127.0.0.1:18080
              1 threads and 32 connections
            WRK_RESULT requests=4000 duration_us=20000000 status_errors=400 connect_errors=1 read_errors=2 \
            write_errors=3 timeouts=4 p50_us=132000 p95_us=250500 p99_us=400000 max_us=901000
            Requests/sec:    200.00
            """;

    @Test
    void readsCountsAndLatenciesInMilliseconds() {
        WrkResult result = WrkResult.parse(OUTPUT, 32);

        assertThat(result.requests()).isEqualTo(4000);
        assertThat(result.seconds()).isEqualTo(20.0);
        assertThat(result.statusErrors()).isEqualTo(400);
        assertThat(result.socketErrors()).isEqualTo(10);
        assertThat(result.p50Millis()).isEqualTo(132.0);
        assertThat(result.p95Millis()).isEqualTo(250.5);
        assertThat(result.p99Millis()).isEqualTo(400.0);
        assertThat(result.maxMillis()).isEqualTo(901.0);
    }

    @Test
    void failedAnswersDoNotCountAsThroughputAndMarkTheRunFailed() {
        WrkResult result = WrkResult.parse(OUTPUT, 32);

        assertThat(result.requestsPerSecond()).isEqualTo(180.0);
        assertThat(result.failed()).isTrue();
        assertThat(result.problem()).isEqualTo("400 status errors, 10 socket errors");
    }

    @Test
    void aRunWithoutErrorsIsValid() {
        WrkResult result = WrkResult.parse(line(10), 4);

        assertThat(result.failed()).isFalse();
        assertThat(result.problem()).isNull();
        assertThat(result.requestsPerSecond()).isEqualTo(10.0);
    }

    @Test
    void fewerAnswersThanConnectionsIsAFailedRunWithoutLatencies() {
        WrkResult none = WrkResult.parse(line(0), 128);
        WrkResult few = WrkResult.parse(line(100), 128);

        assertThat(none.failed()).isTrue();
        assertThat(none.p50Millis()).isNaN();
        assertThat(few.problem()).startsWith("only 100 answers for 128 connections");
    }

    @Test
    void outputWithoutTheResultLineIsAnError() {
        assertThatThrownBy(() -> WrkResult.parse("unable to connect to 127.0.0.1:1 Connection refused", 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Connection refused");
    }

    private static String line(long requests) {
        return "WRK_RESULT requests=" + requests + " duration_us=1000000 status_errors=0 connect_errors=0"
                + " read_errors=0 write_errors=0 timeouts=0 p50_us=1 p95_us=2 p99_us=3 max_us=4";
    }
}
