package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.EmbedServeApplication;
import io.embedserve.inference.batch.BatchQueue;
import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.MiniLmFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** Start-up failure and shutdown, with the application started and stopped by the test itself. */
class LifecycleTest {

    @Test
    void requestsInFlightWhenShutdownStartsAllComplete() throws Exception {
        ConfigurableApplicationContext context = SpringApplication.run(EmbedServeApplication.class,
                "--server.port=0", "--server.address=127.0.0.1", "--management.server.port=0", "--embedserve.model.path=" + MiniLmFixture.modelDirectory(),
                "--embedserve.inference.exit-on-load-failure=false",
                "--embedserve.serving.max-batch-requests=1");
        int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        HttpJson http = new HttpJson(port);
        http.awaitReady(Duration.ofSeconds(120));
        BatchQueue queue = context.getBean(BatchQueue.class);
        ExecutorService clients = Executors.newFixedThreadPool(24);
        try {
            List<Future<HttpJson.Response>> inFlight = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String text = HttpJson.quote(("request " + i + " keeps the worker busy for a while. ").repeat(40));
                inFlight.add(clients.submit(() -> http.post("/embed", "{\"inputs\": " + text + "}")));
            }
            // Shut down once the server holds every request (queued, running or answered), so each
            // one is "in flight when shutdown starts" or already done; none is still connecting.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (queue.inFlight() + inFlight.stream().filter(Future::isDone).count() < inFlight.size()
                    && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            int queuedAtShutdown = queue.inFlight();
            context.close();
            assertThat(queuedAtShutdown).as("requests still queued when shutdown started").isGreaterThanOrEqualTo(8);
            for (Future<HttpJson.Response> response : inFlight) {
                HttpJson.Response answer = response.get(60, TimeUnit.SECONDS);
                assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                assertThat(answer.vector(0)).hasSize(384);
            }
        } finally {
            clients.shutdownNow();
            context.close();
        }
    }

    @Test
    void aModelThatCannotLoadStopsTheProcessWithItsReason(@TempDir Path empty) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                EmbedServeApplication.class.getName(), "--server.port=0", "--server.address=127.0.0.1",
                "--management.server.port=0");
        builder.environment().put("MODEL_PATH", empty.resolve("no-such-model").toString());
        builder.redirectErrorStream(true);
        Process process = builder.start();
        boolean exited = process.waitFor(120, TimeUnit.SECONDS);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!exited) {
            process.destroyForcibly();
        }
        assertThat(exited).as(output).isTrue();
        assertThat(process.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("MODEL_PATH").contains("no-such-model").contains("EmbedServe cannot start");
    }
}
