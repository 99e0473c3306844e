package io.embedserve.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.ServiceProcess;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Clients that send a batch of texts and hang up while it waits, beside clients that stay: the
 * ones who left are not computed, the ones who stayed are all answered.
 */
class ClientGoneFault extends FaultScenario {

    @Test
    void clientsThatHangUpMidBatchAreDroppedAndTheOthersAreAnswered() throws Exception {
        try (ServiceProcess service = start(Map.of())) {
            AtomicBoolean leaving = new AtomicBoolean(true);
            AtomicInteger leftEarly = new AtomicInteger();
            ExecutorService leavers = Executors.newFixedThreadPool(16);
            String body = "{\"inputs\": [" + String.join(",", TEXTS.subList(0, 16).stream().map(HttpJson::quote).toList()) + "]}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 16; i++) {
                leavers.submit(() -> {
                    while (leaving.get()) {
                        try (Socket socket = new Socket("127.0.0.1", service.port)) {
                            OutputStream out = socket.getOutputStream();
                            out.write(("POST /embed HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                                    + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.write(bytes);
                            out.flush();
                            Thread.sleep(30);
                            leftEarly.incrementAndGet();
                        } catch (Exception e) {
                            // a refused connection while the leavers keep going is fine
                        }
                    }
                });
            }
            double computedBefore = metric(service, "embedserve_batch_size_inputs_sum");
            double droppedBefore = metric(service, "embedserve_queue_dropped_inputs_total");
            double goneBefore = clientGone(service);
            FaultLoad stayers = new FaultLoad(service.port, 16, TEXTS);
            sleep(Duration.ofSeconds(20));
            leaving.set(false);
            leavers.shutdown();
            leavers.awaitTermination(30, TimeUnit.SECONDS);
            stayers.stop();
            sleep(Duration.ofSeconds(2)); // the last leavers' requests end
            // Inputs computed beyond the stayers' (one text each): what the leavers cost the model.
            double computedForLeavers = metric(service, "embedserve_batch_size_inputs_sum") - computedBefore - stayers.sent();
            double dropped = metric(service, "embedserve_queue_dropped_inputs_total") - droppedBefore;
            double gone = clientGone(service) - goneBefore;
            int abandonedInputs = leftEarly.get() * 16;
            new FaultReport("Client hangs up mid-batch", "16 clients sending 16 texts and leaving after 30 ms, 16 staying",
                    stayers.sent(), stayers.outcomes(), stayers.lost(),
                    String.format("%d requests abandoned (%d inputs): %.0f ended as client gone (%.0f inputs dropped from"
                            + " the queue, the rest while waiting to be tokenized), %.0f inputs computed for them",
                            leftEarly.get(), abandonedInputs, gone, dropped, Math.max(0, computedForLeavers)))
                    .write();
            assertThat(stayers.lost()).isZero();
            assertThat(stayers.outcomes()).containsOnlyKeys("200");
            assertThat(gone).as("requests of clients who left ended as client gone").isPositive();
            assertThat(computedForLeavers).as("most abandoned inputs were never computed").isLessThan(abandonedInputs / 2.0);
            assertThat(service.http().get("/health").status()).isEqualTo(200);
        }
    }

    private static double clientGone(ServiceProcess service) {
        String text = service.management().get("/actuator/prometheus").body();
        java.util.regex.Matcher sample = java.util.regex.Pattern.compile(
                "(?m)^embedserve_requests_total\\{[^}]*error_kind=\"client_gone\"[^}]*} ([0-9.eE+-]+)$").matcher(text);
        double sum = 0;
        while (sample.find()) {
            sum += Double.parseDouble(sample.group(1));
        }
        return sum;
    }
}
