package io.embedserve.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.MiniLmFixture;
import io.embedserve.testsupport.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flood of maximal bodies against the packaged service under the image's heap settings (the
 * Dockerfile's MaxRAMPercentage of compose's default memory limit, and ExitOnOutOfMemoryError, so
 * running out of heap would end the process): 256 clients for a bounded time, each sending the
 * largest bodies of every kind one after the other. The process must stay up, every answer must be
 * an HTTP status (no reset connection, no timeout), and a normal request must succeed right after.
 */
class FloodIT {

    static final int CLIENTS = 256;
    static final Duration FLOOD = Duration.ofSeconds(40);
    static final int BODY_BYTES = 2_000_000; // just under the default PAYLOAD_LIMIT of 2 MB

    @TempDir
    Path work;

    @Test
    void theProcessStaysUpEveryAnswerIsAStatusAndANormalRequestSucceedsAfter() throws Exception {
        long heap = imageHeapBytes();
        Path model = MiniLmFixture.writeModelDirectory(work.resolve("model"));
        // REQUEST_TIMEOUT bounds the flood's stragglers (tokenizer and queue waits) after it ends, yet
        // leaves an admitted request time to be served while the refusals take most of the CPU.
        try (ServiceProcess service = ServiceProcess.start(
                List.of("-Xmx" + (heap >> 20) + "m", "-XX:+ExitOnOutOfMemoryError", "-Dai.djl.offline=true"),
                Map.of("MODEL_PATH", model.toString(), "REQUEST_TIMEOUT", "30s"), work.resolve("service.log"))) {
            service.awaitReady(Duration.ofMinutes(3));
            List<Body> bodies = List.of(
                    new Body("/embed", textBody()),
                    new Body("/embed", tokenIdBody()),
                    new Body("/embed", longInputsBody(32)),
                    new Body("/v1/embeddings", openAiLongInputsBody(32)),
                    new Body("/embed", overLimitBody()));
            Map<String, AtomicInteger> outcomes = flood(service.port, bodies);
            System.out.printf("flood of %d clients for %s, heap %d MiB: %s%n", CLIENTS, FLOOD, heap >> 20, outcomes);

            assertThat(service.isAlive()).as("the process is still up; log:%n%s", service.tail()).isTrue();
            assertThat(outcomes.keySet()).as("every answer is an HTTP status the service documents")
                    .allMatch(outcome -> outcome.matches("200|413|422|429|503"));
            assertThat(outcomes.get("200")).as("some of the flood was served").isNotNull();
            assertThat(outcomes.get("413")).as("the over-limit bodies were refused as too large").isNotNull();
            HttpJson.Response normal = service.http().post("/embed", "{\"inputs\": \"a normal request after the flood\"}");
            assertThat(normal.status()).isEqualTo(200);
            assertThat(normal.vector(0)).hasSize(384);
            assertThat(service.logText()).doesNotContain("OutOfMemoryError");
        }
    }

    record Body(String path, byte[] json) {}

    /** Every client sends the bodies in turn until the flood's time is up; answers counted by status. */
    static Map<String, AtomicInteger> flood(int port, List<Body> bodies) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        long end = System.nanoTime() + FLOOD.toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running = new java.util.ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int first = c;
                running.add(clients.submit(() -> {
                    for (int i = first; System.nanoTime() < end; i++) {
                        Body body = bodies.get(i % bodies.size());
                        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + body.path))
                                .timeout(Duration.ofSeconds(120))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.json)).build();
                        String outcome;
                        try {
                            outcome = String.valueOf(client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
                        } catch (IOException e) {
                            outcome = "no status: " + e.getClass().getSimpleName();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                    }
                }));
            }
            for (Future<?> future : running) {
                future.get(FLOOD.toSeconds() + 300, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        return new TreeMap<>(outcomes);
    }

    /** The heap the image gives the JVM under compose's default memory limit. */
    static long imageHeapBytes() throws IOException {
        Matcher share = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(Files.readString(Path.of("Dockerfile")));
        Matcher limit = Pattern.compile("mem_limit: \\$\\{APP_MEM_LIMIT:-(\\d+)g}")
                .matcher(Files.readString(Path.of("docker-compose.yml")));
        assertThat(share.find()).as("the Dockerfile's MaxRAMPercentage").isTrue();
        assertThat(limit.find()).as("compose's default APP_MEM_LIMIT").isTrue();
        return (Long.parseLong(limit.group(1)) << 30) * Long.parseLong(share.group(1)) / 100;
    }

    static byte[] textBody() {
        String prefix = "{\"inputs\": \"";
        String suffix = "\"}";
        return (prefix + "flood ".repeat((BODY_BYTES - prefix.length() - suffix.length()) / 6) + suffix)
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] tokenIdBody() {
        StringBuilder json = new StringBuilder(BODY_BYTES).append("{\"inputs\": [[101");
        while (json.length() < BODY_BYTES - 16) {
            json.append(",2023");
        }
        return json.append("]]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] longInputsBody(int inputs) {
        String text = "a long input that truncation will cut. ".repeat((BODY_BYTES / inputs - 8) / 39);
        StringBuilder json = new StringBuilder(BODY_BYTES).append("{\"inputs\": [");
        for (int i = 0; i < inputs; i++) {
            json.append(i == 0 ? "" : ",").append('"').append(i).append(' ').append(text).append('"');
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] openAiLongInputsBody(int inputs) {
        String tei = new String(longInputsBody(inputs), StandardCharsets.UTF_8);
        return ("{\"model\": \"m\", \"input\": " + tei.substring(tei.indexOf('['), tei.length() - 1) + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] overLimitBody() {
        return ("{\"inputs\": \"" + "x".repeat(2_200_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
