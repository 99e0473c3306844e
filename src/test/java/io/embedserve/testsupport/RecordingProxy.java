package io.embedserve.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A loopback HTTP proxy in front of one service port that records what a client really sends (the
 * body as written, the headers that matter to the API) and what it got back. Clients under test
 * point their base URL here when a test asks what they put on the wire, such as the encoding_format
 * an SDK chooses by default.
 */
public final class RecordingProxy implements AutoCloseable {

    /** The request headers passed on; everything else (Host, Content-Length, ...) belongs to one hop. */
    private static final Set<String> FORWARDED = Set.of("authorization", "content-type", "accept", "x-request-id");
    private static final Set<String> HOP_BY_HOP = Set.of("content-length", "transfer-encoding", "connection",
            "keep-alive", "date");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One request and its answer. */
    public record Exchange(String method, String path, HttpHeaders requestHeaders, String requestBody,
            int status, HttpHeaders responseHeaders) {

        public JsonNode requestJson() {
            return JSON.readTree(requestBody);
        }
    }

    private final HttpServer server;
    private final HttpClient upstream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String target;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

    private RecordingProxy(int upstreamPort) throws IOException {
        this.target = "http://127.0.0.1:" + upstreamPort;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::forward);
        server.start();
    }

    public static RecordingProxy to(int upstreamPort) {
        try {
            return new RecordingProxy(upstreamPort);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a loopback port for the proxy", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    public Exchange last() {
        if (exchanges.isEmpty()) {
            throw new AssertionError("no request reached the proxy");
        }
        return exchanges.get(exchanges.size() - 1);
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
                    .timeout(Duration.ofSeconds(60))
                    .method(exchange.getRequestMethod(), body.length == 0 && !"POST".equals(exchange.getRequestMethod())
                            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (FORWARDED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response = upstream.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            exchanges.add(new Exchange(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    HttpHeaders.of(exchange.getRequestHeaders(), (n, v) -> true),
                    new String(body, StandardCharsets.UTF_8), response.statusCode(), response.headers()));
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
