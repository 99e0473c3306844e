package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.embedserve.testsupport.HttpJson;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.TestPropertySource;

/**
 * Tracing on, as OTLP_ENDPOINT turns it on: one span per HTTP request carrying its route, status and
 * request id, with the phases of an embedding request as its children. The spans are read from an
 * in-memory exporter beside the real one; the real OTLP exporter sends them, over OTLP/HTTP here,
 * to a stand-in collector in this test (OTLP_ENDPOINT alone means gRPC, as in TEI).
 *
 * <p>OTLP_ENDPOINT is read before the context starts, as the process environment is; the
 * collector's port reaches it through a system property set when this class loads.
 */
@TestPropertySource(properties = {
    "OTLP_ENDPOINT=http://127.0.0.1:${" + TracingTest.COLLECTOR_PORT + "}/v1/traces",
    "management.opentelemetry.tracing.export.otlp.transport=http",
    "management.opentelemetry.tracing.export.schedule-delay=100ms"})
class TracingTest extends RunningServiceTest {

    static final String COLLECTOR_PORT = "embedserve.test.otlp-collector-port";
    static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    static final List<Export> EXPORTS = new CopyOnWriteArrayList<>();
    static final HttpServer COLLECTOR = collector();

    static {
        System.setProperty(COLLECTOR_PORT, Integer.toString(COLLECTOR.getAddress().getPort()));
    }

    record Export(String path, String contentType, byte[] body) {}

    static HttpServer collector() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                try (InputStream body = exchange.getRequestBody()) {
                    EXPORTS.add(new Export(exchange.getRequestURI().getPath(),
                            exchange.getRequestHeaders().getFirst("Content-Type"), body.readAllBytes()));
                }
                // An empty ExportTraceServiceResponse: zero bytes of protobuf.
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Besides the exporter the service configures: every ended span, at once. */
    @TestConfiguration(proxyBeanMethods = false)
    static class InMemorySpans {
        @Bean
        SpanProcessor inMemorySpans() {
            return SimpleSpanProcessor.create(SPANS);
        }
    }

    @AfterAll
    static void stopCollector() {
        COLLECTOR.stop(0);
    }

    @BeforeEach
    void forgetEarlierSpans() {
        SPANS.reset();
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HttpClient.newHttpClient().send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> post(String path, String json, String requestId) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").header("x-request-id", requestId)
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** The server span carrying this request id; the server ends it just after the answer is sent. */
    static SpanData requestSpan(String requestId) {
        return await("the server span of " + requestId, () -> SPANS.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.SERVER)
                .filter(s -> requestId.equals(s.getAttributes().get(AttributeKey.stringKey("http.request.id"))))
                .findFirst());
    }

    static List<SpanData> childrenOf(SpanData parent) {
        return SPANS.getFinishedSpanItems().stream()
                .filter(s -> s.getParentSpanId().equals(parent.getSpanId()))
                .toList();
    }

    static String attribute(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }

    static <T> T await(String what, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> found = probe.get();
            if (found.isPresent()) {
                return found.get();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    @Test
    void anEmbedRequestIsOneServerSpanWithItsPhasesAsChildren() {
        HttpResponse<String> response = post("/embed", "{\"inputs\": [\"a cat\", \"the cat sat on the mat\"]}", "trace-embed-1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-request-id")).hasValue("trace-embed-1");

        SpanData request = requestSpan("trace-embed-1");
        assertThat(request.getName()).isEqualTo("http post /embed");
        assertThat(request.getParentSpanContext().isValid()).as("a root span").isFalse();
        assertThat(attribute(request, "uri")).isEqualTo("/embed");
        assertThat(attribute(request, "method")).isEqualTo("POST");
        assertThat(attribute(request, "status")).isEqualTo("200");

        List<SpanData> children = childrenOf(request);
        assertThat(children).extracting(SpanData::getName).containsExactlyInAnyOrder(
                "embedserve.tokenization", "embedserve.queue", "embedserve.inference");
        for (SpanData child : children) {
            assertThat(child.getTraceId()).isEqualTo(request.getTraceId());
            assertThat(child.getStartEpochNanos()).as(child.getName()).isGreaterThanOrEqualTo(request.getStartEpochNanos());
            assertThat(child.getEndEpochNanos()).as(child.getName()).isLessThanOrEqualTo(request.getEndEpochNanos());
        }
        SpanData tokenization = children.stream().filter(s -> s.getName().equals("embedserve.tokenization")).findFirst()
                .orElseThrow();
        assertThat(tokenization.getAttributes().get(AttributeKey.longKey("embedserve.inputs"))).isEqualTo(2L);
        // [CLS] a cat [SEP] and [CLS] the cat sat on the mat [SEP]: BERT's uncased WordPiece keeps each word.
        assertThat(tokenization.getAttributes().get(AttributeKey.longKey("embedserve.tokens"))).isEqualTo(4L + 8L);
    }

    @Test
    void theOpenAiRouteAndItsAliasAreTracedUnderTheirOwnRoutes() {
        assertThat(post("/v1/embeddings", "{\"input\": \"a cat\"}", "trace-openai-1").statusCode()).isEqualTo(200);
        assertThat(post("/embeddings", "{\"input\": \"a cat\"}", "trace-openai-2").statusCode()).isEqualTo(200);
        assertThat(requestSpan("trace-openai-1").getName()).isEqualTo("http post /v1/embeddings");
        assertThat(attribute(requestSpan("trace-openai-2"), "uri")).isEqualTo("/embeddings");
        assertThat(childrenOf(requestSpan("trace-openai-2"))).hasSize(3);
    }

    @Test
    void aRefusedRequestIsOneSpanWithItsStatusAndNoPhases() {
        assertThat(post("/embed", "{\"inputs\": 5}", "trace-422").statusCode()).isEqualTo(422);
        SpanData refused = requestSpan("trace-422");
        assertThat(attribute(refused, "status")).isEqualTo("422");
        assertThat(attribute(refused, "uri")).isEqualTo("/embed");
        assertThat(childrenOf(refused)).isEmpty();

        assertThat(post("/no-such-route", "{}", "trace-404").statusCode()).isEqualTo(404);
        assertThat(attribute(requestSpan("trace-404"), "status")).isEqualTo("404");
    }

    @Test
    void theOtlpExporterSendsTheSpansToTheEndpoint() {
        assertThat(post("/embed", "{\"inputs\": \"exported\"}", "trace-export-1").statusCode()).isEqualTo(200);
        // Protobuf keeps strings as UTF-8 bytes, so the request id and span names are in the body as they are.
        Export export = await("an OTLP export naming trace-export-1", () -> EXPORTS.stream()
                .filter(e -> new String(e.body(), StandardCharsets.ISO_8859_1).contains("trace-export-1"))
                .findFirst());
        assertThat(export.path()).isEqualTo("/v1/traces");
        assertThat(export.contentType()).isEqualTo("application/x-protobuf");
        String body = new String(export.body(), StandardCharsets.ISO_8859_1);
        assertThat(body).contains("http post /embed").contains("embedserve");
    }

    @Test
    void healthAnswersCarryTheirIdsToo() {
        HttpJson.Response health = http.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.headers().firstValue("x-request-id")).isPresent();
    }
}
