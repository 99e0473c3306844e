package io.embedserve.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM while 32 clients keep sending: every request the service accepted is answered. What the
 * service accepted is counted on its side, from Tomcat's access log (written once a response is
 * complete); a request a client sent on a kept-alive connection the server was closing at that very
 * moment never reached it, and is counted apart.
 */
class ShutdownFault extends FaultScenario {

    @Test
    void sigtermDuringLoadAnswersEveryAcceptedRequest() throws Exception {
        Path accessLogs = work.resolve("access");
        Files.createDirectories(accessLogs);
        try (ServiceProcess service = start(Map.of(
                "SERVER_TOMCAT_ACCESSLOG_ENABLED", "true",
                "SERVER_TOMCAT_ACCESSLOG_DIRECTORY", accessLogs.toString(),
                "SERVER_TOMCAT_ACCESSLOG_PATTERN", "%r %s",
                "SERVER_TOMCAT_ACCESSLOG_BUFFERED", "false"))) {
            FaultLoad load = new FaultLoad(service.port, 32, TEXTS);
            sleep(Duration.ofSeconds(15));
            long signalled = System.nanoTime();
            int exit = service.terminate(Duration.ofSeconds(90));
            long stoppedMillis = (System.nanoTime() - signalled) / 1_000_000;
            sleep(Duration.ofSeconds(2));
            load.stop();
            long served = servedEmbeds(accessLogs);
            long unanswered = served - load.answered();
            new FaultReport("SIGTERM during load", "32 clients, one text per request", load.sent(), load.outcomes(),
                    (int) Math.max(0, unanswered), String.format("exit code %d after %d ms; the server answered %d requests,"
                            + " the clients received %d; %d sent on a connection the server was closing never reached it",
                            exit, stoppedMillis, served, load.answered(), load.lost())).write();
            assertThat(served).as("every request the server took was answered and received").isEqualTo(load.answered());
            assertThat(load.outcomes().keySet()).allMatch(o -> o.matches("200|503|refused|lost: IOException"));
            assertThat(exit).as("the JVM's exit on SIGTERM").isIn(0, 143);
        }
    }

    /** POST /embed lines in the access logs: requests the server took and answered. */
    static long servedEmbeds(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            long count = 0;
            for (Path file : files.toList()) {
                count += Files.readAllLines(file).stream().filter(line -> line.startsWith("POST /embed ")).count();
            }
            return count;
        }
    }
}
