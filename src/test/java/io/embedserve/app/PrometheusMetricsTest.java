package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** /actuator/prometheus on the management port shows every meter, and counts requests by route, outcome and kind. */
class PrometheusMetricsTest extends RunningServiceTest {

    @Test
    void metersAreExportedAndCountRequests() {
        String before = management.get("/actuator/prometheus").body();
        for (String name : List.of("embedserve_requests_total", "embedserve_request_duration_seconds_bucket",
                "embedserve_request_tokenization_seconds_count", "embedserve_request_queue_seconds_count",
                "embedserve_request_inference_seconds_count", "embedserve_request_tokens_count",
                "embedserve_batch_size_inputs_count", "embedserve_batch_tokens_count",
                "embedserve_queue_depth", "embedserve_queue_dropped_inputs_total", "embedserve_model_load_seconds")) {
            assertThat(before).as(name).contains(name);
        }
        double okBefore = sample(before, "embedserve_requests_total{error_kind=\"none\",outcome=\"success\",route=\"embed\"}");
        double emptyBefore = sample(before, "embedserve_requests_total{error_kind=\"empty\",outcome=\"error\",route=\"embed\"}");
        double openAiBefore = sample(before, "embedserve_requests_total{error_kind=\"none\",outcome=\"success\",route=\"openai\"}");
        double durationBefore = sample(before, "embedserve_request_duration_seconds_count{model=\"embedding\"}");
        http.post("/embed", "{\"inputs\": \"one\"}");
        http.post("/embed", "{\"inputs\": [\"two\", \"three\"]}");
        http.post("/embed", "{\"inputs\": \"\"}");
        http.post("/v1/embeddings", "{\"input\": \"four\"}");
        String after = management.get("/actuator/prometheus").body();
        assertThat(sample(after, "embedserve_requests_total{error_kind=\"none\",outcome=\"success\",route=\"embed\"}") - okBefore).isEqualTo(2);
        assertThat(sample(after, "embedserve_requests_total{error_kind=\"empty\",outcome=\"error\",route=\"embed\"}") - emptyBefore).isEqualTo(1);
        assertThat(sample(after, "embedserve_requests_total{error_kind=\"none\",outcome=\"success\",route=\"openai\"}") - openAiBefore).isEqualTo(1);
        assertThat(sample(after, "embedserve_request_duration_seconds_count{model=\"embedding\"}") - durationBefore).isEqualTo(3);
        assertThat(sample(after, "embedserve_model_load_seconds")).isPositive();
        assertThat(sample(after, "embedserve_model_dtype{dtype=\"float32\"}")).isEqualTo(1);
        assertThat(after).doesNotContain("two").doesNotContain("three");
    }

    @Test
    void teisAliasesOfEmbedCountAsEmbedAndOtherMethodsOnThemDoNot() {
        String embedOk = "embedserve_requests_total{error_kind=\"none\",outcome=\"success\",route=\"embed\"}";
        double before = sample(management.get("/actuator/prometheus").body(), embedOk);
        assertThat(http.post("/", "{\"inputs\": \"one\"}").status()).isEqualTo(200);
        assertThat(http.post("/invocations", "{\"inputs\": \"two\"}").status()).isEqualTo(200);
        http.get("/"); // the playground's page (or /health's answer), not a request to embed
        String after = management.get("/actuator/prometheus").body();
        assertThat(sample(after, embedOk) - before).isEqualTo(2);
    }

    static double sample(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .orElseThrow(() -> new AssertionError("no series " + series + " in\n" + scrape.lines()
                        .filter(l -> l.startsWith(series.split("[{ ]")[0])).toList()));
    }
}
