package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.MiniLmFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Slow clients against the real service: 200 connections send their headers, then their body one
 * byte a second. Meanwhile a normal client's requests are answered at once and the management port
 * answers its probes; the slow connections are cut by the service (408, then closed), not left to
 * hold a thread each for as long as they like, and a cut is not logged as a failure of the service.
 * Prints the figures it measured.
 */
@ExtendWith(OutputCaptureExtension.class)
class SlowClientTest extends RunningServiceTest {

    static final int SLOW_CLIENTS = 200;
    static final int NORMAL_REQUESTS = 20;
    /** "In time": a hundred times what an embedding of one sentence takes here (tens of milliseconds). */
    static final Duration IN_TIME = Duration.ofSeconds(5);
    /** How long a normal request is waited for at most, so that a starved service still ends the test. */
    static final Duration GIVE_UP = Duration.ofSeconds(30);
    static final String NORMAL_BODY = "{\"inputs\": \"A normal client asks for one sentence.\"}";
    /** Longer than any test runs at a byte a second: only the service can end these bodies. */
    static final int SLOW_BODY_LENGTH = 10_000;

    final List<SlowConnection> slow = new ArrayList<>();
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void closeSlowConnections() {
        slow.forEach(SlowConnection::close);
    }

    @Test
    void slowBodiesNeitherStarveANormalClientNorKeepTheirConnections(CapturedOutput output) throws Exception {
        int logBefore = LoggedFailures.mark(output);
        float[] expected = http.post("/embed", NORMAL_BODY).vector(0);
        assertThat(expected).hasSize(MiniLmFixture.HIDDEN_SIZE);
        for (int i = 0; i < SLOW_CLIENTS; i++) {
            slow.add(new SlowConnection(port, "/embed", true));
        }
        Thread trickle = new Thread(this::trickle, "slow-clients");
        trickle.setDaemon(true);
        long started = System.nanoTime();
        trickle.start();
        Thread.sleep(1500); // every slow request is past its headers and holds a thread reading its body

        List<Long> millis = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < NORMAL_REQUESTS; i++) {
            long sent = System.nanoTime();
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + port + "/embed")).header("Content-Type", "application/json")
                        .timeout(GIVE_UP).POST(HttpRequest.BodyPublishers.ofString(NORMAL_BODY)).build(),
                        HttpResponse.BodyHandlers.ofString());
                millis.add((System.nanoTime() - sent) / 1_000_000);
                if (response.statusCode() != 200) {
                    failures.add("request " + i + ": " + response.statusCode() + " " + response.body());
                } else if (!java.util.Arrays.equals(new HttpJson.Response(200, response.body(), response.headers())
                        .vector(0), expected)) {
                    failures.add("request " + i + ": another vector than before the slow clients came");
                }
            } catch (HttpTimeoutException e) {
                millis.add(GIVE_UP.toMillis());
                failures.add("request " + i + ": no answer within " + GIVE_UP.toSeconds() + " s");
            }
        }
        HttpJson.Response liveness = management.get("/actuator/health/liveness");

        awaitAllCut(Duration.ofSeconds(60));
        trickle.interrupt();
        long cut = slow.stream().filter(SlowConnection::closedByServer).count();
        String lastCut = cut == 0 ? "none within 60 s" : String.format(java.util.Locale.ROOT, "the last %.1f s after they began",
                (slow.stream().filter(SlowConnection::closedByServer).mapToLong(SlowConnection::closedAtNanos).max()
                        .orElseThrow() - started) / 1e9);
        long inTime = millis.stream().filter(m -> m <= IN_TIME.toMillis()).count();
        long answered408 = slow.stream().filter(c -> c.answer().startsWith("HTTP/1.1 408 ")).count();
        System.out.printf("slow clients: %d of %d normal requests answered within %d s, slowest %d ms;"
                        + " %d of %d slow connections cut (%d with a 408), %s%n",
                inTime, NORMAL_REQUESTS, IN_TIME.toSeconds(), millis.stream().mapToLong(Long::longValue).max().orElse(0),
                cut, SLOW_CLIENTS, answered408, lastCut);

        assertThat(failures).isEmpty();
        assertThat(millis).allSatisfy(m -> assertThat(m).isLessThanOrEqualTo(IN_TIME.toMillis()));
        assertThat(liveness.status()).as("the management port, on its own connector").isEqualTo(200);
        assertThat(liveness.json().get("status").asString()).isEqualTo("UP");
        assertThat(slow).allSatisfy(c -> assertThat(c.closedByServer()).as("cut by the service").isTrue());
        assertThat(answered408).as("slow connections answered 408 before the close").isEqualTo(SLOW_CLIENTS);
        assertThat(slow.get(0).answer()).contains("\"error_type\":\"Validation\"")
                .contains("EMBEDSERVE_REQUEST_BODY_MIN_RATE");
        LoggedFailures.assertNoneSince(output, logBefore);
    }

    @Test
    void aSlowBodyTheServiceAnswersWithoutReadingIsCutToo(CapturedOutput output) throws Exception {
        int logBefore = LoggedFailures.mark(output);
        // An unknown path is answered before its body is read; Tomcat alone would then read the rest
        // of the body ("swallow" it) at whatever pace the client sends it, and this client goes on
        // sending after its answer.
        SlowConnection unread = new SlowConnection(port, "/no-such-route", false);
        slow.add(unread);
        Thread trickle = new Thread(this::trickle, "slow-client");
        trickle.setDaemon(true);
        trickle.start();

        awaitAllCut(Duration.ofSeconds(60));
        trickle.interrupt();

        assertThat(unread.closedByServer()).as("cut by the service").isTrue();
        assertThat(unread.answer()).startsWith("HTTP/1.1 404 ").contains("\"error_type\":\"NotFound\"");
        LoggedFailures.assertNoneSince(output, logBefore);
    }

    /** One byte a second on every slow connection until the service answers it. */
    private void trickle() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (SlowConnection connection : slow) {
                    connection.sendOneByteUnlessAnswered();
                }
                Thread.sleep(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the service has closed every slow connection, or the deadline passes. */
    private void awaitAllCut(Duration deadline) throws InterruptedException {
        long until = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < until && !slow.stream().allMatch(SlowConnection::closedByServer)) {
            slow.forEach(SlowConnection::poll);
            Thread.sleep(50);
        }
    }

    /** A raw connection whose request body arrives a byte at a time; it never sends the whole body. */
    static final class SlowConnection {

        private final Socket socket;
        private final InputStream in;
        private final ByteArrayOutputStream answer = new ByteArrayOutputStream();
        private final boolean stopsWhenAnswered;
        private volatile boolean closed;
        private volatile long closedAtNanos;

        /**
         * @param stopsWhenAnswered whether it stops sending once answered (a write after the close
         *     resets the connection, which may discard the answer before it is read)
         */
        SlowConnection(int port, String path, boolean stopsWhenAnswered) throws IOException {
            this.stopsWhenAnswered = stopsWhenAnswered;
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(1);
            in = socket.getInputStream();
            String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + SLOW_BODY_LENGTH + "\r\n\r\n{\"inputs\": \"";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }

        synchronized void sendOneByteUnlessAnswered() {
            poll();
            if (closed || stopsWhenAnswered && answer.size() > 0) {
                return;
            }
            try {
                socket.getOutputStream().write('a');
                socket.getOutputStream().flush();
            } catch (IOException e) {
                closed();
            }
        }

        /** Reads whatever has arrived without waiting; notes the close. */
        synchronized void poll() {
            if (closed) {
                return;
            }
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    answer.write(buffer, 0, n);
                }
                if (n < 0) {
                    closed();
                }
            } catch (SocketTimeoutException nothingYet) {
                // still open, nothing more to read
            } catch (IOException reset) {
                closed();
            }
        }

        private void closed() {
            closed = true;
            closedAtNanos = System.nanoTime();
        }

        boolean closedByServer() {
            return closed;
        }

        /** When the close was seen (within a second: the trickle polls once a second); 0 while open. */
        long closedAtNanos() {
            return closedAtNanos;
        }

        synchronized String answer() {
            return answer.toString(StandardCharsets.UTF_8);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the test is over
            }
        }
    }
}
