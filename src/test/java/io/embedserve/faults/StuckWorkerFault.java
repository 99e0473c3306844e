package io.embedserve.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A batch that holds its worker past INFERENCE_HANG_AFTER (here 1 s; a batch of 64 inputs of 256
 * tokens takes longer on two cores) stands for a worker stuck in native code: every waiting request
 * is answered, and the process exits 1 so that it is restarted.
 */
class StuckWorkerFault extends FaultScenario {

    @Test
    void aStuckWorkerAnswersEveryWaitingRequestAndTheProcessExitsToBeRestarted() throws Exception {
        // Tomcat's access log counts what the server took and answered, as in ShutdownFault: a request a
        // client sent on a kept-alive connection the exiting server was closing never reached it.
        Path accessLogs = work.resolve("access");
        Files.createDirectories(accessLogs);
        try (ServiceProcess service = start(Map.of("INFERENCE_HANG_AFTER", "1s", "INFERENCE_WORKERS", "1",
                "SERVER_TOMCAT_ACCESSLOG_ENABLED", "true",
                "SERVER_TOMCAT_ACCESSLOG_DIRECTORY", accessLogs.toString(),
                "SERVER_TOMCAT_ACCESSLOG_PATTERN", "%r %s",
                "SERVER_TOMCAT_ACCESSLOG_BUFFERED", "false"))) {
            FaultLoad load = new FaultLoad(service.port, 8, TEXTS);
            sleep(Duration.ofSeconds(5));
            String longText = "the batch that holds its worker past the hang limit. ".repeat(60);
            StringBuilder batch = new StringBuilder("{\"inputs\": [");
            // As many long inputs as one request may carry (MAX_CLIENT_BATCH_SIZE): one batch of 32 × 256
            // tokens, several seconds on one thread, past the 1 s hang limit.
            for (int i = 0; i < 32; i++) {
                batch.append(i == 0 ? "" : ",").append(HttpJson.quote(i + " " + longText));
            }
            String heavy = batch.append("]}").toString();
            CompletableFuture<HttpJson.Response> stuck = CompletableFuture.supplyAsync(() -> service.http().post("/embed", heavy));
            long started = System.nanoTime();
            while (service.isAlive() && System.nanoTime() - started < Duration.ofSeconds(120).toNanos()) {
                sleep(Duration.ofMillis(100));
            }
            boolean exited = !service.isAlive();
            load.stop();
            int heavyStatus = stuck.handle((r, e) -> r == null ? -1 : r.status()).join();
            int exit = service.terminate(Duration.ofSeconds(1));
            // the stuck batch's own request is counted apart, when it was answered
            long served = ShutdownFault.servedEmbeds(accessLogs) - (heavyStatus > 0 ? 1 : 0);
            long unanswered = served - load.answered();
            new FaultReport("Worker stuck in one batch", "8 clients, then one batch over INFERENCE_HANG_AFTER=1s",
                    load.sent(), load.outcomes(), (int) Math.max(0, unanswered), String.format(
                            "the stuck batch's request answered %d; process exited with %d; the server answered %d"
                            + " requests, the clients received %d; %d sent on a connection the exiting server was"
                            + " closing never reached it", heavyStatus, exit, served, load.answered(), load.lost())).write();
            assertThat(exited).as("the process exits so that it is restarted").isTrue();
            assertThat(exit).isEqualTo(1);
            assertThat(served).as("every request the server took was answered and received").isEqualTo(load.answered());
            assertThat(load.outcomes().keySet()).allMatch(o -> o.matches("200|503|refused|lost: IOException"));
        }
    }
}
