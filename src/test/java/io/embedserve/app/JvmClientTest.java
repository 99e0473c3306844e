package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.inference.TruncationDirection;
import io.embedserve.inference.tokenize.TextTokenizer;
import io.embedserve.inference.tokenize.Truncation;
import io.embedserve.testsupport.MiniLmFixture;
import io.embedserve.testsupport.OnnxReference;
import io.embedserve.testsupport.RecordingProxy;
import io.embedserve.testsupport.Vectors;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.TestPropertySource;

/**
 * What the tests of the JVM clients of POST /v1/embeddings share: the running service with an API
 * key (the same context as {@link OpenAiSdkTest}), the expected vectors from ONNX Runtime on the
 * original all-MiniLM-L6-v2 export (an independent runtime), and a {@link RecordingProxy} for the
 * tests that look at what a client sends.
 */
@TestPropertySource(properties = "API_KEY=" + OpenAiSdkTest.KEY)
abstract class JvmClientTest extends RunningServiceTest {

    static final String KEY = OpenAiSdkTest.KEY;
    /** Lengths from 3 to 40 tokens, so the batch queue may well compute them out of order. */
    static final List<String> TEXTS = List.of(
            "Hello world",
            "The quick brown fox jumps over the lazy dog, and then it runs back across the wide green field"
                    + " to where it started, tired but happy.",
            "Привет, как дела?",
            "北京是中国的首都。",
            "Embeddings map sentences that mean the same thing to nearby vectors.");

    static OnnxReference onnx;
    static TextTokenizer tokenizer;

    RecordingProxy proxy;

    @BeforeAll
    static void reference() {
        onnx = OnnxReference.miniLm();
        tokenizer = TextTokenizer.load(MiniLmFixture.modelDirectory().resolve("tokenizer.json"), false);
    }

    @AfterAll
    static void closeReference() {
        onnx.close();
        tokenizer.close();
    }

    @AfterEach
    void closeProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    /** The service's OpenAI base URL, as each client's documentation names it. */
    String baseUrl() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    /** The same base URL through a proxy that records what the client sends. */
    String recordedBaseUrl() {
        proxy = RecordingProxy.to(port);
        return "http://127.0.0.1:" + proxy.port() + "/v1";
    }

    static long[] ids(String text) {
        return Truncation.truncate(tokenizer.encode(text), MiniLmFixture.MAX_SEQ_LENGTH, TruncationDirection.RIGHT);
    }

    /** The model's unit vector for {@code text}, from ONNX Runtime. */
    static double[] expected(String text) {
        return Vectors.toDouble(onnx.embed(ids(text)));
    }

    /** {@code dimensions}: the first N components of the pooled vector, normalised again. */
    static double[] expected(String text, int dimensions) {
        return Vectors.normalized(Arrays.copyOf(Vectors.toDouble(onnx.meanPooled(ids(text))), dimensions));
    }

    /** Each returned vector, in order, is the model's vector of the text at its index. */
    static void assertModelVectors(String what, List<float[]> vectors, List<String> texts) {
        assertThat(vectors).as(what).hasSameSizeAs(texts);
        for (int i = 0; i < texts.size(); i++) {
            Vectors.assertSameVector(what + " " + i, vectors.get(i), expected(texts.get(i)));
        }
    }

    static void assertModelVectors(String what, List<float[]> vectors, List<String> texts, int dimensions) {
        assertThat(vectors).as(what).hasSameSizeAs(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertThat(vectors.get(i)).as(what + " " + i).hasSize(dimensions);
            Vectors.assertSameVector(what + " " + i, vectors.get(i), expected(texts.get(i), dimensions));
        }
    }

    static float[] floats(List<? extends Number> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).floatValue();
        }
        return out;
    }
}
