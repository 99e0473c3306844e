package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.Sentences;
import io.embedserve.testsupport.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * 64 concurrent clients with distinct inputs of mixed lengths: every answer equals the vector the
 * same input gets alone, and the batch metrics show that requests were merged within the budget.
 */
@TestPropertySource(properties = {
        "embedserve.serving.max-batch-tokens=2048",
        "embedserve.serving.max-batch-requests=32"})
class ServingUnderLoadTest extends RunningServiceTest {

    static final int CLIENTS = 64;

    static String input(int client) {
        String base = Sentences.VARIED.get(client % Sentences.VARIED.size());
        return "client " + client + ": " + base;
    }

    @Test
    void concurrentClientsEachGetTheirOwnVector() throws Exception {
        List<float[]> alone = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            alone.add(http.post("/embed", "{\"inputs\": " + HttpJson.quote(input(c)) + "}").vector(0));
        }
        double batchesBefore = metric("embedserve_batch_size_inputs_count{model=\"embedding\"}");
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<HttpJson.Response>> answers = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int c = 0; c < CLIENTS; c++) {
                    String body = "{\"inputs\": " + HttpJson.quote(input(c)) + "}";
                    answers.add(pool.submit(() -> http.post("/embed", body)));
                }
            }
            for (int i = 0; i < answers.size(); i++) {
                HttpJson.Response response = answers.get(i).get(120, TimeUnit.SECONDS);
                assertThat(response.status()).isEqualTo(200);
                int client = i % CLIENTS;
                Vectors.assertSameVector("client " + client, response.vector(0), Vectors.toDouble(alone.get(client)));
            }
        } finally {
            pool.shutdownNow();
        }
        double batches = metric("embedserve_batch_size_inputs_count{model=\"embedding\"}") - batchesBefore;
        assertThat(batches).as("192 concurrent inputs were merged into fewer batches").isLessThan(192);
        assertThat(metric("embedserve_batch_size_inputs_max{model=\"embedding\"}")).isGreaterThan(1);
        assertThat(metric("embedserve_batch_tokens_max{model=\"embedding\"}")).isLessThanOrEqualTo(2048);
    }

    /** Reads one sample from /actuator/prometheus. */
    double metric(String name) {
        String scrape = management.get("/actuator/prometheus").body();
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no metric " + name + " in:\n" + scrape.lines()
                .filter(l -> l.startsWith("embedserve_")).map(l -> l.split("[ {]")[0]).distinct().toList());
    }
}
