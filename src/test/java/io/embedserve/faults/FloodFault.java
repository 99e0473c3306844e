package io.embedserve.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.ServiceProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** FloodIT's flood as a row of the table: 256 clients of maximal bodies under the image's heap. */
class FloodFault extends FaultScenario {

    @Test
    void floodOfMaximalBodies() throws Exception {
        long heap = FloodIT.imageHeapBytes();
        try (ServiceProcess service = ServiceProcess.start(
                List.of("-Xmx" + (heap >> 20) + "m", "-XX:+ExitOnOutOfMemoryError", "-Dai.djl.offline=true"),
                Map.of("MODEL_PATH", io.embedserve.testsupport.MiniLmFixture.writeModelDirectory(work.resolve("model")).toString(),
                        "REQUEST_TIMEOUT", "10s"), work.resolve("service.log")).awaitReady(Duration.ofMinutes(3))) {
            Map<String, AtomicInteger> outcomes = FloodIT.flood(service.port, List.of(
                    new FloodIT.Body("/embed", FloodIT.textBody()), new FloodIT.Body("/embed", FloodIT.tokenIdBody()),
                    new FloodIT.Body("/embed", FloodIT.longInputsBody(32)),
                    new FloodIT.Body("/v1/embeddings", FloodIT.openAiLongInputsBody(32)),
                    new FloodIT.Body("/embed", FloodIT.overLimitBody())));
            Map<String, Integer> counts = new java.util.TreeMap<>();
            outcomes.forEach((k, v) -> counts.put(k, v.get()));
            int lost = counts.entrySet().stream().filter(e -> !e.getKey().matches("\\d{3}")).mapToInt(Map.Entry::getValue).sum();
            int normal = service.http().post("/embed", "{\"inputs\": \"after the flood\"}").status();
            new FaultReport("Flood of maximal bodies", "256 clients, 2 MB bodies of each kind, 20 s, heap " + (heap >> 20) + " MiB",
                    counts.values().stream().mapToInt(Integer::intValue).sum(), counts, lost,
                    "process up: " + service.isAlive() + "; a normal request after: " + normal).write();
            assertThat(lost).isZero();
            assertThat(service.isAlive()).isTrue();
            assertThat(normal).isEqualTo(200);
        }
    }
}
