package io.embedserve.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP peer of bench/http.sh: what a JVM team writes in an afternoon instead of adopting an
 * embedding service. The JDK's HttpServer with 64 handler threads; each request's texts are
 * embedded in its handler thread by LangChain4j's all-MiniLM-L6-v2 (ONNX Runtime), with no
 * batching across requests. It speaks TEI's {@code POST /embed}: {@code {"inputs": "text"}} or
 * {@code {"inputs": ["a", "b"]}} in, {@code [[floats], ...]} out, unit length as TEI's default
 * {@code normalize: true}; {@code GET /health} answers 200 once the model is loaded.
 */
public final class HttpPeerServer {

    private static final String USAGE = "HttpPeerServer [--port 18090] [--threads 64]";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AllMiniLmL6V2EmbeddingModel model;

    private HttpPeerServer(AllMiniLmL6V2EmbeddingModel model) {
        this.model = model;
    }

    public static void main(String[] args) throws IOException {
        BenchArgs flags = BenchArgs.parse(args, BenchArgs.defaults("port", "18090", "threads", "64"), USAGE);
        HttpServer server = start(flags.integer("port"), flags.integer("threads"));
        System.out.println("HTTP peer on http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Loads the model, then listens on loopback; port 0 picks a free one. */
    static HttpServer start(int port, int threads) throws IOException {
        // Without TCP_NODELAY a one-connection client waits for delayed ACKs: 40 ms stalls per request.
        // The JDK reads this once, when its HTTP server first starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpPeerServer peer = new HttpPeerServer(new AllMiniLmL6V2EmbeddingModel());
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/embed", peer::embed);
        server.createContext("/health", exchange -> {
            try (exchange) {
                respond(exchange, 200, "{\"status\":\"ok\"}");
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(threads));
        server.start();
        return server;
    }

    private void embed(HttpExchange exchange) throws IOException {
        try {
            if (!exchange.getRequestMethod().equals("POST")) {
                respond(exchange, 405, error("use POST", "Validation"));
                return;
            }
            List<String> texts;
            try {
                texts = texts(JSON.readTree(exchange.getRequestBody()));
            } catch (JacksonException e) {
                respond(exchange, 400, error("malformed JSON: " + e.getOriginalMessage(), "Validation"));
                return;
            }
            if (texts == null) {
                respond(exchange, 422, error("inputs must be a non-empty string or array of strings", "Validation"));
                return;
            }
            respond(exchange, 200, JSON.writeValueAsString(vectors(texts)));
        } catch (RuntimeException e) {
            respond(exchange, 500, error(String.valueOf(e), "Backend"));
        } finally {
            exchange.close();
        }
    }

    /** The texts of {@code {"inputs": ...}}, or null when the body is not TEI's shape. */
    private static List<String> texts(JsonNode body) {
        JsonNode inputs = body.get("inputs");
        if (inputs != null && inputs.isString() && !inputs.asString().isEmpty()) {
            return List.of(inputs.asString());
        }
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            return null;
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode input : inputs) {
            if (!input.isString() || input.asString().isEmpty()) {
                return null;
            }
            texts.add(input.asString());
        }
        return texts;
    }

    private float[][] vectors(List<String> texts) {
        List<Embedding> embeddings = texts.size() == 1
                ? List.of(model.embed(texts.get(0)).content())
                : model.embedAll(texts.stream().map(TextSegment::from).toList()).content();
        float[][] vectors = new float[embeddings.size()][];
        for (int i = 0; i < vectors.length; i++) {
            Embedding embedding = embeddings.get(i);
            embedding.normalize(); // TEI's default; a no-op when the model normalized already
            vectors[i] = embedding.vector();
        }
        return vectors;
    }

    private static String error(String message, String type) {
        return JSON.writeValueAsString(Map.of("error", message, "error_type", type));
    }

    /** The caller closes the exchange: until then the JDK keeps the connection from its next request. */
    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
