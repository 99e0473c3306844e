package io.embedserve.faults;

import io.embedserve.testsupport.MiniLmFixture;
import io.embedserve.testsupport.RetrievalCorpus;
import io.embedserve.testsupport.ServiceProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every fault scenario shares: the packaged jar serving all-MiniLM-L6-v2 with the image's
 * settings, the retrieval corpus's texts as load, and the metrics read from the management port.
 * The scenarios are named *Fault, so neither surefire nor failsafe runs them by default; the
 * `faults` Maven profile (bench/faults.sh) does, and each writes its row of the table.
 */
@Tag("faults")
abstract class FaultScenario {

    static final List<String> TEXTS = RetrievalCorpus.texts(400, 11).stream()
            .filter(text -> text.length() < 600).toList();

    @TempDir
    Path work;

    ServiceProcess start(Map<String, String> settings) throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("MODEL_PATH", MiniLmFixture.writeModelDirectory(work.resolve("model")).toString());
        all.putAll(settings);
        return ServiceProcess.start(List.of("-Xmx1228m", "-XX:+ExitOnOutOfMemoryError", "-Dai.djl.offline=true"),
                all, work.resolve("service.log")).awaitReady(Duration.ofMinutes(3));
    }

    /** The sum of a Prometheus counter's samples (every tag combination), or 0 when absent. */
    static double metric(ServiceProcess service, String name) {
        String text = service.management().get("/actuator/prometheus").body();
        Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(text);
        double sum = 0;
        while (sample.find()) {
            sum += Double.parseDouble(sample.group(2));
        }
        return sum;
    }

    static void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis());
    }
}
