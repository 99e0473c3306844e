package io.embedserve.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * One row of the fault suite's table: the fault, the load it ran under, what the clients sent,
 * how it was answered, what was lost, and the observation that decides the verdict. Rows are
 * printed and appended to {@code target/faults/results.md}, which bench/faults.sh prints as one table.
 */
record FaultReport(String fault, String load, int sent, Map<String, Integer> outcomes, int lost, String observed) {

    static final Path RESULTS = Path.of("target", "faults", "results.md");

    String row() {
        return String.format("| %s | %s | %d | %s | %d | %s |", fault, load, sent, outcomes.toString()
                .replace("{", "").replace("}", "").replace("=", " × "), lost, observed);
    }

    FaultReport write() throws IOException {
        Files.createDirectories(RESULTS.getParent());
        if (!Files.exists(RESULTS)) {
            Files.writeString(RESULTS, "| fault | load | requests sent | answers | lost | observed |\n"
                    + "| --- | --- | ---: | --- | ---: | --- |\n");
        }
        Files.writeString(RESULTS, row() + "\n", StandardOpenOption.APPEND);
        System.out.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " " + row());
        return this;
    }
}
