package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.RequiredTool;
import io.embedserve.inference.TruncationDirection;
import io.embedserve.inference.tokenize.TextTokenizer;
import io.embedserve.inference.tokenize.Truncation;
import io.embedserve.testsupport.MiniLmFixture;
import io.embedserve.testsupport.OnnxReference;
import io.embedserve.testsupport.Vectors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real JavaScript clients, unchanged, against the running service with all-MiniLM-L6-v2:
 * {@code @huggingface/inference}'s featureExtraction with endpointUrl (it posts to the base URL) and
 * the {@code openai} SDK's embeddings.create (base64 by default). Versions are pinned in
 * src/test/node/package-lock.json; .ci/run installs them into target/node-clients. Where node or
 * the packages are missing the tests are skipped, saying so.
 */
class JavaScriptClientsTest extends RunningServiceTest {

    static final Path CLIENTS = Path.of(System.getProperty("embedserve.node-clients", "target/node-clients"));
    static final Path SCRIPTS = Path.of("src/test/node");
    static final List<String> TEXTS = List.of("Hello world", "Привет, как дела?", "北京是中国的首都。");

    static OnnxReference onnx;
    static TextTokenizer tokenizer;

    @BeforeAll
    static void requireNode() {
        RequiredTool.require(nodeVersion() != null, "node is not installed: the JavaScript clients cannot run here");
        onnx = OnnxReference.miniLm();
        tokenizer = TextTokenizer.load(MiniLmFixture.modelDirectory().resolve("tokenizer.json"), false);
    }

    @AfterAll
    static void close() {
        if (onnx != null) {
            onnx.close();
            tokenizer.close();
        }
    }

    @Test
    void huggingFaceInferenceFeatureExtractionWithEndpointUrlGetsTheModelsVectors() {
        JsonNode out = run("@huggingface/inference", "hf-feature-extraction.mjs");
        for (int i = 0; i < TEXTS.size(); i++) {
            long[] ids = Truncation.truncate(tokenizer.encode(TEXTS.get(i)), 256, TruncationDirection.RIGHT);
            Vectors.assertSameVector("normalised " + i, floats(out.get("vectors").get(i)), Vectors.toDouble(onnx.embed(ids)));
            Vectors.assertSameVector("raw " + i, floats(out.get("raw").get(i)), Vectors.toDouble(onnx.meanPooled(ids)));
        }
    }

    @Test
    void openAiSdkEmbeddingsCreateGetsTheModelsVectorsAsBase64AndAsFloats() {
        JsonNode out = run("openai", "openai-embeddings.mjs");
        assertThat(out.get("indices").values()).extracting(JsonNode::asInt).containsExactly(0, 1, 2);
        assertThat(out.get("usage").get("prompt_tokens").asInt()).isPositive();
        for (int i = 0; i < TEXTS.size(); i++) {
            long[] ids = Truncation.truncate(tokenizer.encode(TEXTS.get(i)), 256, TruncationDirection.RIGHT);
            double[] expected = Vectors.toDouble(onnx.embed(ids));
            Vectors.assertSameVector("base64 " + i, floats(out.get("base64").get(i)), expected);
            Vectors.assertSameVector("float " + i, floats(out.get("float").get(i)), expected);
        }
    }

    /** Runs {@code script} with node from the clients' directory; skips if {@code pkg} is not installed there. */
    JsonNode run(String pkg, String script) {
        RequiredTool.require(Files.isDirectory(CLIENTS.resolve("node_modules").resolve(pkg)), pkg + " is not installed in "
                + CLIENTS.toAbsolutePath() + "; .ci/run installs it (npm ci from src/test/node)");
        try {
            Path copy = CLIENTS.resolve(script);
            Files.copy(SCRIPTS.resolve(script), copy, StandardCopyOption.REPLACE_EXISTING);
            Process node = new ProcessBuilder("node", copy.toAbsolutePath().toString(), "http://127.0.0.1:" + port,
                    JsonMapper.shared().writeValueAsString(TEXTS)).directory(CLIENTS.toFile()).start();
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(node.getErrorStream()));
            String stdout = read(node.getInputStream());
            assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("node finished").isTrue();
            assertThat(node.exitValue()).as("node %s failed: %s", script, stderr.join()).isZero();
            return JsonMapper.shared().readTree(stdout);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run node " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String nodeVersion() {
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String version = read(node.getInputStream()).trim();
            return node.waitFor(30, TimeUnit.SECONDS) && node.exitValue() == 0 ? version : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).floatValue();
        }
        return out;
    }
}
