package io.embedserve.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Which write failures keep the rows for later (the database went away) and which drop them. */
class CacheWriterTest {

    /** PostgreSQL error codes, Appendix A: class 08 and the 57P0x shutdown states. */
    @Test
    void aDatabaseThatWentAwayKeepsTheRows() {
        assertThat(CacheWriter.unreachable(new SQLException("connection refused", "08001"))).isTrue();
        assertThat(CacheWriter.unreachable(new SQLException("I/O error", "08006"))).isTrue();
        assertThat(CacheWriter.unreachable(new SQLException("terminating connection due to administrator command",
                "57P01"))).isTrue();
        assertThat(CacheWriter.unreachable(new SQLException("crash shutdown", "57P02"))).isTrue();
        assertThat(CacheWriter.unreachable(new SQLException("the database system is starting up", "57P03"))).isTrue();
        assertThat(CacheWriter.unreachable(new SQLTransientConnectionException("pool timed out"))).isTrue();
        assertThat(CacheWriter.unreachable(new RuntimeException(new SQLException("wrapped", "08003")))).isTrue();
    }

    @Test
    void aRowTheDatabaseRefusedIsDropped() {
        assertThat(CacheWriter.unreachable(new SQLException("value too long", "22001"))).isFalse();
        assertThat(CacheWriter.unreachable(new SQLException("relation does not exist", "42P01"))).isFalse();
        assertThat(CacheWriter.unreachable(new SQLException("query canceled", "57014"))).isFalse();
        assertThat(CacheWriter.unreachable(new SQLException("no state"))).isFalse();
    }
}
