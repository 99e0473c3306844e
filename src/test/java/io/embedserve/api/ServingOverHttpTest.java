package io.embedserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.RawHttpConnection;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The HTTP layer on a real Tomcat with the real application.yml: what a slice cannot show, namely
 * the probe groups on the management port, a chunked body (no Content-Length) over the payload limit
 * and the connection a refused body leaves behind. Only the api package and a fake model are loaded,
 * so the test needs neither a model nor a database.
 */
@SpringBootTest(classes = ServingOverHttpTest.Server.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {
            "embedserve.serving.payload-limit=64KB",
            "embedserve.serving.max-request-bytes-in-flight=64KB",
            // This slice has no inference worker; the full application's liveness group includes it.
            "management.endpoint.health.group.liveness.include=livenessState"
        })
class ServingOverHttpTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
    @Import({ApiTestConfig.class, TeiController.class, TeiStatusController.class, OpenAiController.class,
            ApiExceptionHandler.class, RequestBodyFilter.class, SlowBodyFilter.class, TomcatConfiguration.class,
            ModelHealthIndicator.class})
    static class Server {}

    private static final int LIMIT = 64 * 1024;

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    FakeEmbeddingService model;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Autowired
    RequestBodyFilter bodies;

    @BeforeEach
    void reset() {
        model.reset();
    }

    /**
     * Waits until exactly {@code bytes} of the budget are taken: the holder's request has taken its
     * whole share, or has ended. No other request may be sent meanwhile: one arriving just before the
     * holder's would leave it no room, and the holder, not the other, would be refused. The server
     * takes up and ends requests on its own time, which on a busy machine can be seconds.
     */
    void awaitBytesInFlight(long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        while (bodies.budget().inFlight() != bytes && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(bodies.budget().inFlight()).as("request bytes in flight").isEqualTo(bytes);
    }

    HttpResponse<String> get(String path) throws Exception {
        return get(port, path);
    }

    HttpResponse<String> management(String path) throws Exception {
        return get(managementPort, path);
    }

    HttpResponse<String> get(int onPort, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + onPort + path)).build(),
                BodyHandlers.ofString());
    }

    HttpResponse<String> postEmbed(BodyPublisher body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/embed"))
                .header("Content-Type", "application/json")
                .POST(body)
                .build();
        return http.send(request, BodyHandlers.ofString());
    }

    static byte[] embedBody(int textLength) {
        return ("{\"inputs\": \"" + "a".repeat(textLength) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** An InputStream publisher has no known length, so the client sends Transfer-Encoding: chunked. */
    static BodyPublisher chunked(byte[] body) {
        return BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
    }

    @Test
    void readinessIsOutOfServiceUntilTheModelIsReadyWhileLivenessStaysUp() throws Exception {
        model.ready = false;
        HttpResponse<String> readiness = management("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(readiness.body()).contains("OUT_OF_SERVICE").contains("model");
        assertThat(management("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(get("/health").statusCode()).isEqualTo(503);

        model.ready = true;
        assertThat(management("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(management("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void actuatorAnswersOnlyOnTheManagementPort() throws Exception {
        assertThat(managementPort).isNotEqualTo(port);
        assertThat(get("/actuator/health").statusCode()).isEqualTo(404);
        assertThat(get("/actuator/prometheus").statusCode()).isEqualTo(404);
        assertThat(management("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(management("/actuator/prometheus").statusCode()).isEqualTo(200);
        assertThat(management("/embed").statusCode()).isEqualTo(404);
    }

    @Test
    void livenessDoesNotIncludeTheModel() throws Exception {
        model.ready = false;
        assertThat(management("/actuator/health/liveness").body()).doesNotContain("model");
    }

    @Test
    void returns413ForAChunkedBodyOverTheLimit() throws Exception {
        HttpResponse<String> response = postEmbed(chunked(embedBody(LIMIT + 10_000)));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"error_type\":\"Validation\"").contains("payload limit");
    }

    @Test
    void returns413ForADeclaredLengthOverTheLimit() throws Exception {
        HttpResponse<String> response = postEmbed(BodyPublishers.ofByteArray(embedBody(LIMIT + 10_000)));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"error_type\":\"Validation\"");
    }

    /**
     * The budget here is one payload's worth (64 KB, its smallest). A body that holds it — declared
     * at the limit and sent a byte at a time — leaves no room: a second body is refused before its
     * first byte is read, and its share comes back the moment the first request ends.
     */
    @Test
    void returns429WithRetryAfterWhenTheRequestBytesInFlightAreSpent() throws Exception {
        try (java.net.Socket slow = new java.net.Socket("localhost", port)) {
            var out = slow.getOutputStream();
            out.write(("POST /embed HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                    + LIMIT + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitBytesInFlight(LIMIT);
            HttpResponse<String> refused = postEmbed(BodyPublishers.ofByteArray(embedBody(10)));
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.body()).contains("\"error_type\":\"Overloaded\"").contains("MAX_REQUEST_BYTES_IN_FLIGHT");
        }
        awaitBytesInFlight(0); // the closed connection's request ends
        HttpResponse<String> after = postEmbed(BodyPublishers.ofByteArray(embedBody(10)));
        assertThat(after.statusCode()).isEqualTo(200);
    }

    /**
     * A body declared over the payload limit is refused as too large even while the bytes in flight
     * are spent: a 429 would tell its client to retry a request that can never succeed.
     */
    @Test
    void aDeclaredLengthOverTheLimitGets413NotA429WhenTheBudgetIsSpent() throws Exception {
        try (java.net.Socket holder = new java.net.Socket("localhost", port)) {
            holder.getOutputStream().write(("POST /embed HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
                    + "\r\nContent-Length: " + LIMIT + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            holder.getOutputStream().flush();
            awaitBytesInFlight(LIMIT);
            HttpResponse<String> tooLarge = postEmbed(BodyPublishers.ofByteArray(embedBody(LIMIT + 10_000)));
            assertThat(tooLarge.statusCode()).isEqualTo(413);
            assertThat(tooLarge.body()).contains("payload limit");
            assertThat(bodies.budget().inFlight()).as("the refused body took nothing").isEqualTo(LIMIT);
        }
        awaitBytesInFlight(0);
    }

    /**
     * A 429 for the bytes in flight answers before the body is read; the body is read and dropped
     * all the same, so the client's retry goes out on the same connection and is answered there
     * once the budget is back.
     */
    @Test
    void a429LeavesTheConnectionOpenForTheRetry() throws Exception {
        byte[] body = embedBody(10);
        Map<String, String> headers = Map.of("Content-Type", "application/json",
                "Content-Length", Integer.toString(body.length));
        try (RawHttpConnection client = new RawHttpConnection(port, Duration.ofSeconds(30))) {
            try (java.net.Socket holder = new java.net.Socket("localhost", port)) {
                holder.getOutputStream().write(("POST /embed HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
                        + "\r\nContent-Length: " + LIMIT + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                holder.getOutputStream().flush();
                awaitBytesInFlight(LIMIT);
                client.send("POST", "/embed", headers, body);
                RawHttpConnection.Answer refused = client.read();
                assertThat(refused.status()).as(refused.body()).isEqualTo(429);
                assertThat(refused.header("Connection")).as("kept alive").isNotEqualToIgnoringCase("close");
            }
            awaitBytesInFlight(0); // the holder's request ends once it is closed
            client.send("POST", "/embed", headers, body);
            RawHttpConnection.Answer retried = client.read();
            assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        }
    }

    @Test
    void acceptsAChunkedBodyUnderTheLimit() throws Exception {
        HttpResponse<String> response = postEmbed(chunked(embedBody(LIMIT - 100)));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-compute-type")).hasValue("cpu");
    }
}
