package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Failures count on request threads only, whatever other contexts' background threads log. */
class LoggedFailuresTest {

    static final String REQUEST_ERROR = "2026-12-07T10:45:15.867Z ERROR 31356 --- [embedserve] [o-auto-1-exec-3]"
            + " i.e.api.ApiExceptionHandler            : POST /embedding failed unexpectedly\n"
            + "org.springframework.http.converter.HttpMessageNotWritableException: closed\n\tat x.y(Z.java:1)\n";
    static final String POOL_WARNING = "2026-12-07T10:45:15.868Z  WARN 31356 --- [embedserve] [onnection-adder]"
            + " com.zaxxer.hikari.pool.PoolBase          : Pool is empty\norg.postgresql.util.PSQLException: refused\n";
    static final String REQUEST_DEBUG = "2026-12-07T10:45:15.869Z DEBUG 31356 --- [embedserve] [o-auto-1-exec-4]"
            + " i.e.api.SlowBodyFilter                 : cut a slow body\n";

    @Test
    void anErrorOnARequestThreadCountsAndABackgroundThreadsWarningDoesNot() {
        assertThat(LoggedFailures.failuresOnRequestThreads(POOL_WARNING + REQUEST_DEBUG)).isEmpty();
        assertThat(LoggedFailures.failuresOnRequestThreads(POOL_WARNING + REQUEST_ERROR + REQUEST_DEBUG))
                .singleElement().asString().contains("failed unexpectedly").contains("HttpMessageNotWritableException")
                .doesNotContain("Pool is empty").doesNotContain("cut a slow body");
    }
}
