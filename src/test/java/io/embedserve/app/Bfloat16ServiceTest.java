package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.inference.TruncationDirection;
import io.embedserve.inference.tokenize.TextTokenizer;
import io.embedserve.inference.tokenize.Truncation;
import io.embedserve.testsupport.CpuFeatures;
import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.MiniLmFixture;
import io.embedserve.testsupport.OnnxReference;
import io.embedserve.testsupport.Vectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import org.springframework.test.context.TestPropertySource;

/**
 * DTYPE=bfloat16 end to end: /info and the metrics name it, and the vectors stay within its bound.
 * On a CPU without bfloat16 kernels (no AVX-512 BW/VL/DQ, no AMX) every dense layer must say it fell
 * back to float32, and the vectors are then float32's.
 */
@TestPropertySource(properties = "DTYPE=bfloat16")
class Bfloat16ServiceTest extends RunningServiceTest {

    @Test
    void infoAndMetricsReportTheDtypeAndVectorsStayClose() {
        JsonNode info = http.get("/info").json();
        assertThat(info.get("model_dtype").asString()).isEqualTo("bfloat16");
        boolean bfloat16Kernels = CpuFeatures.read().runsBfloat16Kernels();
        assertThat(info.get("dense_layers")).hasSize(4).allSatisfy(layer -> {
            String path = layer.get("path").asString();
            if (!bfloat16Kernels) {
                assertThat(path).isEqualTo("torch.linear float32");
                assertThat(layer.get("fast_path_failure").asString()).startsWith("onednn bfloat16: ");
            } else {
                assertThat(path).isIn("onednn bfloat16", "torch.linear float32");
            }
        });
        assertThat(PrometheusMetricsTest.sample(management.get("/actuator/prometheus").body(),
                "embedserve_model_dtype{dtype=\"bfloat16\"}")).isEqualTo(1);

        String text = "Retrieval-augmented generation needs fast, accurate sentence embeddings.";
        HttpJson.Response response = http.post("/embed", "{\"inputs\": \"" + text + "\"}");
        assertThat(response.status()).isEqualTo(200);
        try (OnnxReference onnx = OnnxReference.miniLm();
                TextTokenizer tokenizer = TextTokenizer.load(MiniLmFixture.modelDirectory().resolve("tokenizer.json"), false)) {
            float[] expected = onnx.embed(Truncation.truncate(tokenizer.encode(text), 256, TruncationDirection.RIGHT));
            double bound = bfloat16Kernels ? 0.9995 : Vectors.MIN_COSINE;
            assertThat(Vectors.cosine(response.vector(0), Vectors.toDouble(expected))).isGreaterThanOrEqualTo(bound);
        }
    }
}
