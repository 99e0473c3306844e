package io.embedserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.error.ErrorKind;
import org.junit.jupiter.api.Test;

class ErrorStatusTest {

    /** TEI router/src/http/server.rs, From<&ErrorType> for StatusCode, plus the statuses the service adds. */
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
        assertThat(ErrorStatus.of(ErrorKind.NOT_FOUND).value()).isEqualTo(404);
        assertThat(ErrorStatus.of(ErrorKind.UNAUTHORIZED).value()).isEqualTo(401);
        assertThat(ErrorStatus.of(ErrorKind.TIMEOUT).value()).isEqualTo(503);
        assertThat(ErrorStatus.of(ErrorKind.SLOW_CLIENT).value()).as("RFC 9110 15.5.9 Request Timeout").isEqualTo(408);
        assertThat(ErrorStatus.of(ErrorKind.WRONG_MODEL_TYPE).value()).isEqualTo(424);
    }

    /**
     * TEI's ErrorType variants, as serde writes them by default, plus "NotFound" for an unknown
     * route, which TEI answers with an empty 404 and no error_type at all.
     */
    @Test
    void writesTeisErrorTypeWordsAndNotFound() {
        for (ErrorKind kind : ErrorKind.values()) {
            assertThat(kind.wireName()).isIn("Unhealthy", "Backend", "Overloaded", "Validation", "Tokenizer", "Empty",
                    "NotFound");
        }
        assertThat(ErrorKind.NOT_FOUND.wireName()).isEqualTo("NotFound");
    }

    @Test
    void aStatusAloneIsNotFoundFor404AndNeverValidation() {
        assertThat(ErrorStatus.kindOf(org.springframework.http.HttpStatus.NOT_FOUND)).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(ErrorStatus.kindOf(org.springframework.http.HttpStatus.METHOD_NOT_ALLOWED)).isEqualTo(ErrorKind.VALIDATION);
    }
}
