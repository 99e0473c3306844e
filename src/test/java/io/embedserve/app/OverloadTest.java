package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.HttpJson;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** A flood beyond max-concurrent-requests is answered 429 at once, never 5xx, and service resumes. */
@TestPropertySource(properties = {
        "embedserve.serving.max-concurrent-requests=4"})
class OverloadTest extends RunningServiceTest {

    @Test
    void floodGetsSome429sAndNo5xxThenServiceAnswersNormally() throws Exception {
        String longText = HttpJson.quote("overload test sentence number one. ".repeat(40));
        ExecutorService pool = Executors.newFixedThreadPool(48);
        List<Future<HttpJson.Response>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 96; i++) {
                answers.add(pool.submit(() -> http.post("/embed", "{\"inputs\": " + longText + "}")));
            }
            int ok = 0;
            int overloaded = 0;
            for (Future<HttpJson.Response> answer : answers) {
                HttpJson.Response response = answer.get(120, TimeUnit.SECONDS);
                assertThat(response.status()).isIn(200, 429);
                if (response.status() == 429) {
                    overloaded++;
                    assertThat(response.json().get("error_type").asString()).isEqualTo("Overloaded");
                } else {
                    ok++;
                }
            }
            assertThat(overloaded).isPositive();
            assertThat(ok).isPositive();
        } finally {
            pool.shutdownNow();
        }
        HttpJson.Response after = http.post("/embed", "{\"inputs\": [\"a\", \"b\", \"c\", \"d\"]}");
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.json().size()).isEqualTo(4);
        HttpJson.Response never = http.post("/embed", "{\"inputs\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}");
        // Retrying could never help: a 422 at once, not a 429 that invites retries forever.
        assertThat(never.status()).as("more inputs than can ever be admitted").isEqualTo(422);
        assertThat(never.json().get("error").asString()).contains("MAX_CONCURRENT_REQUESTS");
    }
}
