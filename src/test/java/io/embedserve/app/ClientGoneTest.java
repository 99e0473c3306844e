package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.metrics.EmbedServeMetrics;
import io.embedserve.testsupport.HttpJson;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * A request whose client closes the connection while it waits in the queue is dropped before the
 * model computes it; clients that stay, including one that pipelines its next request, are all
 * answered. One input per batch keeps the worker busy long enough for the queue to matter.
 */
@TestPropertySource(properties = "embedserve.serving.max-batch-requests=1")
class ClientGoneTest extends RunningServiceTest {

    private static final int BUSY_REQUESTS = 60;
    private static final String LONG_TEXT = "the worker stays busy with this long sentence for a while. ".repeat(30);

    @Autowired
    MeterRegistry registry;

    final ExecutorService clients = Executors.newFixedThreadPool(BUSY_REQUESTS);

    @AfterEach
    void stopClients() {
        clients.shutdownNow();
    }

    @Test
    void aRequestWhoseClientHasGoneIsNotComputed() throws Exception {
        double computedBefore = computedInputs();
        double droppedBefore = counter(EmbedServeMetrics.QUEUE_DROPPED);
        List<Future<HttpJson.Response>> staying = keepWorkerBusy();
        // Only once the queue is long does the leaving request arrive: sent earlier, it could be
        // computed at once, before its client leaves, and there would be nothing to drop.
        awaitValue(() -> queued() >= BUSY_REQUESTS / 2 ? 1 : 0, 1);
        try (Socket leaving = new Socket("localhost", port)) {
            leaving.getOutputStream().write(embedRequest("this client leaves before its answer", false));
            leaving.getOutputStream().flush();
            Thread.sleep(100); // usually long enough to be parsed, tokenized and queued behind the busy ones
        }
        // The service notices the closed connection and answers nobody: a computed answer would be
        // written to the socket, and the request would not end as client_gone.
        awaitValue(() -> registry.get(EmbedServeMetrics.REQUESTS).tag("route", "embed")
                .tag("error_kind", "client_gone").counter().count(), 1);
        for (Future<HttpJson.Response> answer : staying) {
            assertThat(answer.get(120, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
        // The last batch's size is recorded just after its callers are answered. Exactly the staying
        // inputs were computed: the leaving one was withdrawn from the queue or, on a host too busy
        // to queue it within the sleep above, refused before it got there.
        awaitValue(() -> computedInputs() - computedBefore, BUSY_REQUESTS);
        assertThat(counter(EmbedServeMetrics.QUEUE_DROPPED) - droppedBefore).isBetween(0.0, 1.0);
    }

    @Test
    void pipelinedRequestsBehindABusyWorkerAreBothAnswered() throws Exception {
        List<Future<HttpJson.Response>> staying = keepWorkerBusy();
        try (Socket pipelining = new Socket("localhost", port)) {
            pipelining.setSoTimeout(120_000);
            pipelining.getOutputStream().write(embedRequest("first of two pipelined requests", false));
            pipelining.getOutputStream().flush();
            Thread.sleep(300); // the second request arrives while the first one waits
            pipelining.getOutputStream().write(embedRequest("second of two pipelined requests", true));
            pipelining.getOutputStream().flush();
            String answers = readAll(pipelining.getInputStream());
            assertThat(answers.split("HTTP/1.1 200", -1)).as(answers).hasSize(3);
        }
        for (Future<HttpJson.Response> answer : staying) {
            assertThat(answer.get(120, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
    }

    private List<Future<HttpJson.Response>> keepWorkerBusy() {
        List<Future<HttpJson.Response>> answers = new ArrayList<>();
        for (int i = 0; i < BUSY_REQUESTS; i++) {
            String body = "{\"inputs\": " + HttpJson.quote(i + " " + LONG_TEXT) + "}";
            answers.add(clients.submit(() -> http.post("/embed", body)));
        }
        return answers;
    }

    private byte[] embedRequest(String text, boolean lastOnConnection) {
        byte[] body = ("{\"inputs\": " + HttpJson.quote(text) + "}").getBytes(StandardCharsets.UTF_8);
        String head = "POST /embed HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n" + (lastOnConnection ? "Connection: close\r\n" : "") + "\r\n";
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(body);
        return request.toByteArray();
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** The embedding model's meters: the cross-encoder has series of its own. */
    private double queued() {
        return registry.get(EmbedServeMetrics.QUEUE_DEPTH).tag(EmbedServeMetrics.MODEL_TAG, EmbedServeMetrics.MODEL_EMBEDDING)
                .gauge().value();
    }

    private double computedInputs() {
        return registry.get(EmbedServeMetrics.BATCH_SIZE).tag(EmbedServeMetrics.MODEL_TAG, EmbedServeMetrics.MODEL_EMBEDDING)
                .summary().totalAmount();
    }

    private double counter(String name) {
        return registry.get(name).tag(EmbedServeMetrics.MODEL_TAG, EmbedServeMetrics.MODEL_EMBEDDING).counter().count();
    }

    private static void awaitValue(DoubleSupplier value, double expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (value.getAsDouble() < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(value.getAsDouble()).isEqualTo(expected);
    }
}
