package io.embedserve.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.embedserve.testsupport.RequiredTool;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * bench/wrk-corpus.lua run by the real wrk against a server that records what it receives: every
 * text arrives intact, each in its own POST /embed, and the script cycles through all of them.
 * Skipped where wrk is not installed (Debian: apt-get install wrk), and failed then under CI=true.
 */
class WrkCorpusScriptTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void serversReceiveEveryTextIntactOnePerRequest() throws Exception {
        RequiredTool.require(wrkInstalled(), "wrk is not installed (Debian: apt-get install wrk)");
        List<String> texts = List.of("plain text", "quotes \" and backslashes \\ and a \\\" pair",
                "Привет, мир. 你好，世界。 مرحبا بالعالم.", "line\nbreak and \uD83D\uDE80");
        Path bodies = RequestBodies.write(texts, dir.resolve("bodies.jsonl"));
        Set<String> received = ConcurrentHashMap.newKeySet();
        Set<String> badRequests = ConcurrentHashMap.newKeySet();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (exchange.getRequestMethod().equals("POST") && exchange.getRequestURI().getPath().equals("/embed")) {
                received.add(JSON.readTree(body).get("inputs").asString());
            } else {
                badRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            }
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("[]".getBytes(StandardCharsets.UTF_8));
            exchange.close();
        });
        server.start();
        try {
            WrkResult result = new Wrk(Path.of("bench/wrk-corpus.lua"))
                    .run(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), bodies, 2, 1);

            assertThat(result.failed()).isFalse();
            assertThat(result.requests()).isGreaterThanOrEqualTo(texts.size());
            assertThat(badRequests).isEmpty();
            assertThat(received).containsExactlyInAnyOrderElementsOf(texts);
        } finally {
            server.stop(0);
        }
    }

    private static boolean wrkInstalled() {
        try {
            new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor();
            return Files.exists(Path.of("bench/wrk-corpus.lua"));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
