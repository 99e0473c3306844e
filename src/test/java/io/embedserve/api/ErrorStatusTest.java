package io.embedserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.error.ErrorKind;
import org.junit.jupiter.api.Test;

class ErrorStatusTest {

    /** TEI router/src/http/server.rs, From<&ErrorType> for StatusCode, plus design.md §3. */
    @Test
    void followsTeisStatusTable() {
        assertThat(ErrorStatus.of(ErrorKind.EMPTY).value()).isEqualTo(400);
        assertThat(ErrorStatus.of(ErrorKind.VALIDATION).value()).isEqualTo(422);
        assertThat(ErrorStatus.of(ErrorKind.TOKENIZER).value()).isEqualTo(422);
        assertThat(ErrorStatus.of(ErrorKind.PAYLOAD_TOO_LARGE).value()).isEqualTo(413);
        assertThat(ErrorStatus.of(ErrorKind.OVERLOADED).value()).isEqualTo(429);
        assertThat(ErrorStatus.of(ErrorKind.BACKEND).value()).isEqualTo(424);
        assertThat(ErrorStatus.of(ErrorKind.UNHEALTHY).value()).isEqualTo(503);
        assertThat(ErrorStatus.of(ErrorKind.MODEL).value()).isEqualTo(503);
        assertThat(ErrorStatus.of(ErrorKind.CLIENT_GONE).value()).isEqualTo(499);
    }

    /** TEI's ErrorType variants, as serde writes them by default. */
    @Test
    void writesOnlyTeisErrorTypeWords() {
        for (ErrorKind kind : ErrorKind.values()) {
            assertThat(kind.wireName()).isIn("Unhealthy", "Backend", "Overloaded", "Validation", "Tokenizer", "Empty");
        }
    }
}
