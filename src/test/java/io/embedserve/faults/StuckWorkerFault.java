package io.embedserve.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.ServiceProcess;
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
        try (ServiceProcess service = start(Map.of("INFERENCE_HANG_AFTER", "1s", "INFERENCE_WORKERS", "1"))) {
            FaultLoad load = new FaultLoad(service.port, 8, TEXTS);
            sleep(Duration.ofSeconds(5));
            String longText = "the batch that holds its worker past the hang limit. ".repeat(60);
            StringBuilder batch = new StringBuilder("{\"inputs\": [");
            for (int i = 0; i < 64; i++) {
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
            new FaultReport("Worker stuck in one batch", "8 clients, then one batch over INFERENCE_HANG_AFTER=1s",
                    load.sent(), load.outcomes(), load.lost(),
                    "the stuck batch's request answered " + heavyStatus + "; process exited with " + exit).write();
            assertThat(exited).as("the process exits so that it is restarted").isTrue();
            assertThat(exit).isEqualTo(1);
            assertThat(load.lost()).as(load.outcomes().toString()).isZero();
            assertThat(load.outcomes().keySet()).allMatch(o -> o.matches("200|503|refused"));
        }
    }
}
