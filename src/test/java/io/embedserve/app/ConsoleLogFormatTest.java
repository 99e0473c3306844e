package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service's console, from a child JVM started as a user starts it, environment variables and
 * all: with TEI's JSON_OUTPUT=true every line is one JSON object in the Elastic Common Schema (field
 * names from its specification, ecs.version 8.x), a request's lines carry its x-request-id; without
 * it, the lines are text. No model is loaded (MODEL_PATH names an empty folder and the load failure
 * does not stop the process), so the child starts in seconds; a 422 needs no model.
 */
class ConsoleLogFormatTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path noModel;

    Process child;
    final List<String> stdout = new CopyOnWriteArrayList<>();
    CompletableFuture<String> stderr;

    @AfterEach
    void stop() throws InterruptedException {
        if (child != null) {
            child.destroy();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts the service with {@code variables} and waits until it has started; returns its port. */
    int start(Map<String, String> variables) throws IOException {
        int port = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-Dai.djl.offline=true",
                "-Dembedserve.inference.exit-on-load-failure=false",
                "-cp", System.getProperty("java.class.path"), "io.embedserve.EmbedServeApplication");
        builder.environment().keySet().removeIf(name -> name.equals("JSON_OUTPUT") || name.startsWith("OTLP_")
                || name.startsWith("LOGGING_"));
        builder.environment().putAll(Map.of("PORT", Integer.toString(port),
                "MANAGEMENT_PORT", Integer.toString(freePort()),
                "SERVER_ADDRESS", "127.0.0.1", // no API key: open on loopback only
                "MODEL_PATH", noModel.toString(),
                "LOGGING_LEVEL_IO_EMBEDSERVE_API", "DEBUG"));
        builder.environment().putAll(variables);
        child = builder.start();
        stderr = CompletableFuture.supplyAsync(() -> read(child.getErrorStream()));
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(stdout::add);
            } catch (IOException | UncheckedIOException e) {
                // the child has gone
            }
        }, "child-stdout");
        reader.setDaemon(true);
        reader.start();
        awaitLine(line -> line.contains("Started EmbedServeApplication"));
        return port;
    }

    String awaitLine(Predicate<String> wanted) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : stdout) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            if (!child.isAlive()) {
                throw new AssertionError("the service exited with " + child.exitValue() + ":\n"
                        + String.join("\n", stdout) + "\n" + stderr.join());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no such line in:\n" + String.join("\n", stdout));
    }

    static int post(int port, String json, String requestId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/embed"))
                .header("Content-Type", "application/json").header("x-request-id", requestId)
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void jsonOutputWritesEveryLineAsOneEcsJsonObjectWithTheRequestId() throws Exception {
        int port = start(Map.of("JSON_OUTPUT", "true"));
        assertThat(post(port, "{\"inputs\": 5}", "json-log-1")).isEqualTo(422);
        awaitLine(line -> line.contains("json-log-1"));
        awaitLine(line -> line.contains("\"level\":\"ERROR\""));

        List<JsonNode> lines = new ArrayList<>();
        for (String line : stdout) {
            assertThat(line).as("every line is a JSON object").startsWith("{").endsWith("}");
            lines.add(JSON.readTree(line));
        }
        JsonNode started = lines.stream()
                .filter(l -> l.path("message").asString("").startsWith("Started EmbedServeApplication"))
                .findFirst().orElseThrow();
        assertThat(started.path("@timestamp").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*");
        assertThat(started.path("log").path("level").asString()).isEqualTo("INFO");
        assertThat(started.path("log").path("logger").asString()).isEqualTo("io.embedserve.EmbedServeApplication");
        assertThat(started.path("service").path("name").asString()).isEqualTo("embedserve");
        assertThat(started.path("process").path("pid").asLong()).isEqualTo(child.pid());
        assertThat(started.path("ecs").path("version").asString()).startsWith("8.");

        JsonNode rejected = lines.stream().filter(l -> l.path("message").asString("").contains("rejected"))
                .findFirst().orElseThrow();
        assertThat(rejected.path("log").path("level").asString()).isEqualTo("DEBUG");
        assertThat(rejected.path("message").asString()).startsWith("POST /embed rejected: `inputs` must be");
        assertThat(rejected.path("requestId").asString()).isEqualTo("json-log-1");

        // The failed model load is one line too, its stack trace inside it.
        JsonNode loadFailure = lines.stream().filter(l -> l.path("log").path("level").asString("").equals("ERROR"))
                .findFirst().orElseThrow();
        assertThat(loadFailure.path("message").asString()).contains(noModel.toString());
    }

    @Test
    void withoutJsonOutputTheLinesAreText() throws Exception {
        int port = start(Map.of());
        assertThat(post(port, "{\"inputs\": 5}", "text-log-1")).isEqualTo(422);
        String rejected = awaitLine(line -> line.contains("rejected"));

        assertThat(stdout).noneMatch(line -> line.startsWith("{"));
        String started = awaitLine(line -> line.contains("Started EmbedServeApplication"));
        assertThat(started).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.* INFO .*");
        assertThat(rejected).contains(" DEBUG ").contains("POST /embed rejected: `inputs` must be")
                .contains("text-log-1");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
