package io.embedserve.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.ServiceProcess;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 200 connections trickling their request bodies a byte a second while a normal client embeds one
 * text after another: the normal client keeps getting its answers in time, and the server cuts the
 * trickling connections.
 */
class SlowClientFault extends FaultScenario {

    @Test
    void trickleBodiesDoNotStarveANormalClient() throws Exception {
        try (ServiceProcess service = start(Map.of())) {
            AtomicBoolean trickling = new AtomicBoolean(true);
            AtomicInteger cut = new AtomicInteger();
            ExecutorService slow = Executors.newFixedThreadPool(200);
            for (int i = 0; i < 200; i++) {
                slow.submit(() -> {
                    try (Socket socket = new Socket("127.0.0.1", service.port)) {
                        OutputStream out = socket.getOutputStream();
                        out.write(("POST /embed HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
                                .getBytes(StandardCharsets.US_ASCII));
                        while (trickling.get()) {
                            Thread.sleep(1000);
                            out.write('a');
                            out.flush();
                        }
                    } catch (Exception e) {
                        cut.incrementAndGet(); // the server closed the connection
                    }
                });
            }
            sleep(Duration.ofSeconds(2));
            Map<String, Integer> outcomes = new HashMap<>();
            List<Long> millis = new ArrayList<>();
            HttpJson http = service.http();
            for (int i = 0; i < 20; i++) {
                long started = System.nanoTime();
                String outcome;
                try {
                    outcome = String.valueOf(http.post("/embed", "{\"inputs\": " + HttpJson.quote(TEXTS.get(i)) + "}").status());
                } catch (RuntimeException e) {
                    outcome = "lost: " + e.getClass().getSimpleName();
                }
                millis.add((System.nanoTime() - started) / 1_000_000);
                outcomes.merge(outcome, 1, Integer::sum);
            }
            sleep(Duration.ofSeconds(30));
            trickling.set(false);
            slow.shutdown();
            slow.awaitTermination(30, TimeUnit.SECONDS);
            long inTime = millis.stream().filter(ms -> ms <= 5000).count();
            long slowest = millis.stream().mapToLong(Long::longValue).max().orElse(-1);
            int lost = outcomes.entrySet().stream().filter(e -> e.getKey().startsWith("lost")).mapToInt(Map.Entry::getValue).sum();
            new FaultReport("200 slow clients trickling bodies", "20 sequential normal requests beside them", 20,
                    new java.util.TreeMap<>(outcomes), lost, String.format(
                            "%d of 20 answered within 5 s, slowest %d ms; %d of 200 trickling connections cut by the server",
                            inTime, slowest, cut.get())).write();
            assertThat(lost).isZero();
            assertThat(outcomes).containsOnlyKeys("200");
            assertThat(inTime).isEqualTo(20);
        }
    }
}
