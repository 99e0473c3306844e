package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.inference.TruncationDirection;
import io.embedserve.inference.tokenize.TextTokenizer;
import io.embedserve.inference.tokenize.Truncation;
import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.MiniLmFixture;
import io.embedserve.testsupport.OnnxReference;
import io.embedserve.testsupport.Vectors;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** DTYPE=bfloat16 end to end: /info and the metrics name it, and the vectors stay within its bound. */
@TestPropertySource(properties = "DTYPE=bfloat16")
class Bfloat16ServiceTest extends RunningServiceTest {

    @Test
    void infoAndMetricsReportTheDtypeAndVectorsStayClose() {
        assertThat(http.get("/info").json().get("model_dtype").asString()).isEqualTo("bfloat16");
        assertThat(PrometheusMetricsTest.sample(management.get("/actuator/prometheus").body(),
                "embedserve_model_dtype{dtype=\"bfloat16\"}")).isEqualTo(1);

        String text = "Retrieval-augmented generation needs fast, accurate sentence embeddings.";
        HttpJson.Response response = http.post("/embed", "{\"inputs\": \"" + text + "\"}");
        assertThat(response.status()).isEqualTo(200);
        try (OnnxReference onnx = OnnxReference.miniLm();
                TextTokenizer tokenizer = TextTokenizer.load(MiniLmFixture.modelDirectory().resolve("tokenizer.json"), false)) {
            float[] expected = onnx.embed(Truncation.truncate(tokenizer.encode(text), 256, TruncationDirection.RIGHT));
            assertThat(Vectors.cosine(response.vector(0), Vectors.toDouble(expected))).isGreaterThanOrEqualTo(0.9995);
        }
    }
}
