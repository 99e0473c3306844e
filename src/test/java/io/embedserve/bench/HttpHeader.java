package io.embedserve.bench;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * The top of bench/http.sh's report: the command, the date, the machine, how each contender runs,
 * the load and the workloads, and what the two sides do differently, so that a figure read later
 * carries the conditions it was taken under.
 */
final class HttpHeader {

    private HttpHeader() {}

    static void print(BenchArgs flags, ServerLaunch launch, List<HttpWorkload> workloads, TokenLengths lengths, PrintStream out) {
        out.println("# bench/http.sh: EmbedServe over HTTP beside the HTTP peer and LangChain4j in-process");
        out.println();
        out.println("HttpBenchmark " + flags.describe());
        out.println("date: " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " (UTC)");
        out.println(MachineInfo.describe());
        out.println(launch.describeService());
        out.println("embedding cache: " + (System.getenv("SPRING_DATASOURCE_URL") == null
                ? "off (no SPRING_DATASOURCE_URL)" : "ON (SPRING_DATASOURCE_URL is set): repeated texts may be answered from it"));
        out.println("HTTP peer: LangChain4j AllMiniLmL6V2EmbeddingModel.embed(text) per request in the JDK's HttpServer,"
                + " 64 handler threads, sun.net.httpserver.nodelay=true, plain java, nothing preloaded");
        out.println("LangChain4j in-process: this JVM, " + HttpResults.EMBED_ALL + " and " + HttpResults.SEQUENTIAL);
        out.println("load: " + Wrk.version() + ", wrk -t1 -cN --timeout 30s -s " + flags.string("wrk-script")
                + ", one text per request, the same bodies file for every server; a run's rate counts the answers"
                + " completed within it (wrk drops those in flight at its end)");
        for (HttpWorkload workload : workloads) {
            out.println("workload " + workload.name() + ": " + workload.description());
        }
        if (workloads.stream().anyMatch(w -> w.name().equals("retrieval"))) {
            out.println("**not the same work on long texts**: " + lengths.describe());
        }
        out.printf(Locale.ROOT, "planned: about %.1f minutes of load after start-up%n%n", plannedMinutes(flags, workloads.size()));
    }

    private static double plannedMinutes(BenchArgs flags, int workloads) {
        int dtypes = flags.list("dtypes", java.util.Set.of()).size();
        int servers = dtypes + (flags.bool("skip-peer") ? 0 : 1);
        int perRun = flags.integer("seconds") + flags.integer("warmup");
        double seconds = flags.integer("rounds") * (double) workloads * perRun
                * (servers * flags.integers("connections").size() + (flags.bool("skip-langchain4j") ? 0 : 2));
        seconds += (double) flags.integer("initial-warmup") * workloads * (servers + 1);
        if (!flags.bool("skip-first-minute")) {
            seconds += dtypes * (flags.integer("first-minute-window") * flags.integer("first-minute-windows")
                    + flags.integer("first-minute-settle") + flags.integer("first-minute-steady"));
        }
        return seconds / 60;
    }
}
