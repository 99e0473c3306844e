package io.embedserve.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.Migrations;
import io.embedserve.testsupport.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The embedding cache's database failing under load: killed outright (kill -9) and started again,
 * and answering slowly. Requests never fail for it — the cache degrades to "no cache" — and the
 * cache is used again once the database is back.
 */
class DatabaseFaults extends FaultScenario {

    /** 64 distinct texts, so that most requests are cache hits once the first pass is stored. */
    static final List<String> REPEATED = TEXTS.subList(0, 64);

    Map<String, String> cacheSettings(int port) {
        return Map.of(
                "SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "SPRING_DATASOURCE_USERNAME", Migrations.APP_USER,
                "SPRING_DATASOURCE_PASSWORD", Migrations.APP_PASSWORD);
    }

    static EmbeddedPostgres postgres(Path data, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    @Test
    void databaseKilledAndRestartedUnderLoad() throws Exception {
        Path data = work.resolve("pgdata");
        int port = ServiceProcess.freePort();
        EmbeddedPostgres first = postgres(data, port);
        Migrations.migrate(first.getPostgresDatabase());
        try (ServiceProcess service = start(cacheSettings(port))) {
            FaultLoad load = new FaultLoad(service.port, 32, REPEATED);
            sleep(Duration.ofSeconds(15));
            double hitsBeforeKill = metric(service, "embedserve_cache_hits_total");
            long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
            new ProcessBuilder("kill", "-9", String.valueOf(pid)).inheritIO().start().waitFor();
            sleep(Duration.ofSeconds(10));
            double hitsDuringOutage = metric(service, "embedserve_cache_hits_total");
            // The killed server's handle still holds its lock on the data directory in this JVM;
            // closing it releases the lock (stopping what is already dead fails, and is ignored).
            closeKilled(first);
            try (EmbeddedPostgres again = postgres(data, port)) {
                sleep(Duration.ofSeconds(20));
                double hitsAfterRestart = metric(service, "embedserve_cache_hits_total") - hitsDuringOutage;
                load.stop();
                new FaultReport("Cache database killed (kill -9) and restarted", "32 clients over 64 repeated texts",
                        load.sent(), load.outcomes(), load.lost(), String.format(
                                "%.0f cache hits before the kill, %.0f in the 20 s after the restart",
                                hitsBeforeKill, hitsAfterRestart)).write();
                assertThat(load.lost()).isZero();
                assertThat(load.outcomes()).as("no request failed for the database").containsOnlyKeys("200");
                assertThat(hitsAfterRestart).as("cache use resumed").isPositive();
            }
        } finally {
            closeKilled(first);
        }
    }

    private static void closeKilled(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (Exception alreadyKilled) {
            // its postmaster was killed on purpose, or closed already
        }
    }

    @Test
    void databaseAnsweringSlowlyUnderLoad() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                LatencyProxy proxy = new LatencyProxy(postgres.getPort())) {
            Migrations.migrate(postgres.getPostgresDatabase());
            try (ServiceProcess service = start(cacheSettings(proxy.port()))) {
                FaultLoad warm = new FaultLoad(service.port, 32, REPEATED);
                sleep(Duration.ofSeconds(10));
                warm.stop();
                proxy.delay(2_000);
                FaultLoad load = new FaultLoad(service.port, 32, REPEATED);
                sleep(Duration.ofSeconds(20));
                load.stop();
                proxy.delay(0);
                new FaultReport("Cache database slow (+2 s on every answer)", "32 clients over 64 repeated texts",
                        load.sent(), load.outcomes(), load.lost(), String.format(
                                "latency p50 %.0f ms, p95 %.0f ms (the lookup gives up after 200 ms)",
                                load.percentileMillis(50), load.percentileMillis(95))).write();
                assertThat(load.lost()).isZero();
                assertThat(load.outcomes()).containsOnlyKeys("200");
            }
        }
    }
}
