package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.MiniLmFixture;
import io.embedserve.testsupport.RawHttpConnection;
import io.embedserve.testsupport.RawHttpConnection.Answer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests the service answers without reading their body, each on a kept-alive connection of its
 * own: the client gets the whole answer, the connection then serves a valid request, and nothing
 * is logged as a failure. The unread body is read and dropped by the service (SlowBodyFilter), so
 * Tomcat has no reason to close the connection. A 413 is the exception Tomcat makes: it always
 * closes after one, so there the answer must arrive whole, and the close be an orderly one when the
 * body was read. (The 401: RefusedBodyWithApiKeyTest; the 429: api.ServingOverHttpTest.)
 */
@ExtendWith(OutputCaptureExtension.class)
class RefusedBodyConnectionTest extends RunningServiceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    static final Map<String, String> JSON_BODY = Map.of("Content-Type", "application/json");
    static final byte[] A_TEXT = "{\"inputs\": \"a refused body\"}".getBytes(StandardCharsets.UTF_8);
    /** PAYLOAD_LIMIT's default is 2MB, which Spring reads as 2 MiB. */
    private static final int PAYLOAD_LIMIT = 2 * 1024 * 1024;

    static Stream<Arguments> refusedBeforeTheirBodyIsRead() {
        return Stream.of(
                Arguments.of("a path that is not a route", "POST", "/embedding", JSON_BODY, 404, "NotFound"),
                Arguments.of("POST on a GET route", "POST", "/info", JSON_BODY, 405, "Validation"),
                Arguments.of("Content-Type text/plain", "POST", "/embed", Map.of("Content-Type", "text/plain"), 415,
                        "Validation"),
                Arguments.of("Content-Type text/plain, OpenAI's route", "POST", "/v1/embeddings",
                        Map.of("Content-Type", "text/plain"), 415, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedBeforeTheirBodyIsRead")
    void theAnswerArrivesWholeAndTheConnectionServesTheNextRequest(String what, String method, String path,
            Map<String, String> headers, int status, String errorType, CapturedOutput output) throws IOException {
        int logBefore = LoggedFailures.mark(output);
        try (RawHttpConnection connection = new RawHttpConnection(port, READ_TIMEOUT)) {
            connection.send(method, path, withLength(headers, A_TEXT.length), A_TEXT);
            Answer refused = connection.read();
            assertThat(refused.status()).as(refused.body()).isEqualTo(status);
            assertThat(refused.header("Connection")).as("kept alive").isNotEqualToIgnoringCase("close");
            assertErrorBody(refused, errorType);

            assertEmbeds(connection);
        }
        LoggedFailures.assertNoneSince(output, logBefore);
    }

    @Test
    void severalRefusalsInARowKeepTheirConnection(CapturedOutput output) throws IOException {
        int logBefore = LoggedFailures.mark(output);
        try (RawHttpConnection connection = new RawHttpConnection(port, READ_TIMEOUT)) {
            for (String path : List.of("/embedding", "/v1/chat/completions", "/info")) {
                connection.send("POST", path, withLength(JSON_BODY, A_TEXT.length), A_TEXT);
                assertThat(connection.read().status()).isIn(404, 405);
            }
            assertEmbeds(connection);
        }
        LoggedFailures.assertNoneSince(output, logBefore);
    }

    @Test
    void aChunkedBodyOverThePayloadLimitGets413ThenAnOrderlyClose(CapturedOutput output) throws IOException {
        int logBefore = LoggedFailures.mark(output);
        byte[] overLimit = overThePayloadLimit();
        try (RawHttpConnection connection = new RawHttpConnection(port, READ_TIMEOUT)) {
            connection.sendChunked("POST", "/embed", JSON_BODY, overLimit);
            Answer refused = connection.read();
            assertThat(refused.status()).as(refused.body()).isEqualTo(413);
            assertErrorBody(refused, "Validation");
            // Tomcat closes the connection after every 413; the rest of the body was read, so the
            // close is an end of stream, not a reset.
            assertThat(refused.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(connection.closedByServer()).isTrue();
        }
        LoggedFailures.assertNoneSince(output, logBefore);
    }

    @Test
    void aDeclaredBodyOverThePayloadLimitGets413WhileItIsStillBeingSent(CapturedOutput output) throws Exception {
        int logBefore = LoggedFailures.mark(output);
        byte[] overLimit = farOverThePayloadLimit();
        try (RawHttpConnection connection = new RawHttpConnection(port, READ_TIMEOUT)) {
            // The declared length leaves more than the service reads and drops (twice the payload
            // limit), so it answers at once and closes without reading;
            // the body is sent meanwhile, as HTTP clients do, and may meet the close.
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    connection.send("POST", "/embed", withLength(JSON_BODY, overLimit.length), overLimit);
                } catch (IOException closedBeforeTheEnd) {
                    // expected once the service has answered and closed
                }
            });
            Answer refused = connection.read();
            assertThat(refused.status()).as(refused.body()).isEqualTo(413);
            assertThat(refused.header("Connection")).isEqualToIgnoringCase("close");
            assertErrorBody(refused, "Validation");
            assertThat(refused.body()).contains("Request body of " + overLimit.length + " bytes is over the payload limit");
            connection.close();
            sending.join();
        }
        LoggedFailures.assertNoneSince(output, logBefore);
    }

    private static void assertEmbeds(RawHttpConnection connection) throws IOException {
        assertEmbeds(connection, JSON_BODY);
    }

    /** A valid POST /embed with these headers on the connection is answered 200 with a vector. */
    static void assertEmbeds(RawHttpConnection connection, Map<String, String> headers) throws IOException {
        byte[] valid = "{\"inputs\": \"the same connection, a valid request\"}".getBytes(StandardCharsets.UTF_8);
        connection.send("POST", "/embed", withLength(headers, valid.length), valid);
        Answer embedded = connection.read();
        assertThat(embedded.status()).as(embedded.body()).isEqualTo(200);
        assertThat(JSON.readTree(embedded.body()).get(0).size()).isEqualTo(MiniLmFixture.HIDDEN_SIZE);
    }

    /** TEI's {"error", "error_type"}, or OpenAI's {"error": {...}} when {@code errorType} is null. */
    static void assertErrorBody(Answer answer, String errorType) {
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        JsonNode body = JSON.readTree(answer.body());
        if (errorType == null) {
            assertThat(body.get("error").get("type").asString()).isEqualTo("invalid_request_error");
        } else {
            assertThat(body.get("error_type").asString()).as(answer.body()).isEqualTo(errorType);
        }
    }

    static Map<String, String> withLength(Map<String, String> headers, int length) {
        return Stream.concat(headers.entrySet().stream(), Stream.of(Map.entry("Content-Length", Integer.toString(length))))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** A valid request that is 100 kB over the payload limit. */
    private static byte[] overThePayloadLimit() {
        return ("{\"inputs\": \"" + "a".repeat(PAYLOAD_LIMIT + 100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** A valid request more than twice the payload limit: too much to read only to refuse it. */
    private static byte[] farOverThePayloadLimit() {
        return ("{\"inputs\": \"" + "a".repeat(2 * PAYLOAD_LIMIT + 100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
