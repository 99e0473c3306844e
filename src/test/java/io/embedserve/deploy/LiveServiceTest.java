package io.embedserve.deploy;

import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.TinyEncoderModel;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole service as the monitoring pack sees it: its own management port (random here, as
 * MANAGEMENT_PORT would set it), the embedding cache on (so its meters exist) against a Postgres
 * that has no schema yet, as in a rollout where the migration Job has not run (the cache stays
 * degraded; requests are answered without it). A small random-weight model: the meters do not
 * depend on the model. Subclasses share one running service (Spring's test context cache), so the
 * Postgres lives until the JVM exits.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"embedserve.inference.exit-on-load-failure=false", "management.server.port=0",
            "server.address=127.0.0.1",
            // A degraded cache probes its database again within half a second, not a minute.
            "embedserve.cache.retry-backoff=100ms", "embedserve.cache.max-retry-backoff=500ms"})
abstract class LiveServiceTest {

    private static final Pattern SERIES = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");
    private static EmbeddedPostgres postgres;

    @DynamicPropertySource
    static void service(DynamicPropertyRegistry registry) throws IOException {
        Path model = TinyEncoderModel.xlmRoberta(11).writeTo(Files.createTempDirectory("live-service-model"));
        registry.add("embedserve.model.path", model::toString);
        registry.add("spring.datasource.url", () -> database().getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
    }

    static synchronized EmbeddedPostgres database() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is exiting; the server's process goes with it
                }
            }));
        }
        return postgres;
    }

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;

    HttpJson api;
    HttpJson management;

    @BeforeEach
    void awaitModelAndServeARequest() {
        api = new HttpJson(port);
        management = new HttpJson(managementPort);
        api.awaitReady(Duration.ofSeconds(120));
        api.post("/embed", "{\"inputs\": [\"a request\", \"so every meter has a sample\"]}");
        awaitGcMeters();
    }

    /**
     * The GC pause meters appear with the JVM's first collection after they are bound, which a
     * short-lived test context may never have: one is asked for, and its meter awaited.
     */
    private void awaitGcMeters() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!management.get("/actuator/prometheus").body().contains("jvm_gc_pause_seconds_sum")) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no jvm_gc_pause_seconds on /actuator/prometheus 30 s after System.gc()");
            }
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the GC meters", e);
            }
        }
    }

    /** The names of the series on the management port's /actuator/prometheus. */
    Set<String> exportedSeries() {
        Set<String> names = new TreeSet<>();
        Matcher matcher = SERIES.matcher(management.get("/actuator/prometheus").body());
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
