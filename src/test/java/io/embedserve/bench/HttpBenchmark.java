package io.embedserve.bench;

import io.embedserve.testsupport.MiniLmFixture;
import io.embedserve.testsupport.RetrievalCorpus;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
import java.util.function.Function;

/**
 * bench/http.sh: the packaged service, one process per DTYPE, beside the HTTP peer
 * ({@link HttpPeerServer}), all driven by wrk with the same script and the same request bodies in
 * interleaved rounds, with LangChain4j in-process on the same texts as the third column; then the
 * service's first minute after readiness; then the targets. Markdown goes to stdout, progress to
 * stderr; the charts, the request bodies and the servers' logs go into {@code --out}. Exits with 3
 * when any answer failed and 4 when the servers' vectors disagree (then nothing is timed).
 */
public final class HttpBenchmark {

    static final Set<String> WORKLOADS = Set.of("retrieval", "twelve");
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
                                W seconds, then settle seconds of load, then steady seconds measured
              --jemalloc        auto: preload /usr/lib/*/libjemalloc.so.2 into the service when installed, as the image does
            bench/http.sh sets --jar (the packaged service) and --wrk-script (bench/wrk-corpus.lua).""";

    /**
     * The lowest cosine each dtype may show against LangChain4j's ONNX all-MiniLM-L6-v2, and against
     * the service's own float32. float32 computes the same function in another runtime; bfloat16's
     * bound is the service's own to float32 (0.9995), widened by float32's distance to ONNX.
     */
    private static final Map<String, Double> MIN_COSINE_TO_REFERENCE = Map.of("float32", 0.9999, "bfloat16", 0.999, "int8", 0.99);
    private static final Map<String, Double> MIN_COSINE_TO_FLOAT32 = Map.of("bfloat16", 0.9995, "int8", 0.995);

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
        Map<String, List<String>> texts = new LinkedHashMap<>();
        Map<String, Path> bodies = new LinkedHashMap<>();
        for (String workload : flags.list("workloads", WORKLOADS)) {
            texts.put(workload, texts(workload));
            bodies.put(workload, RequestBodies.write(texts(workload), outDir.resolve("bodies-" + workload + ".jsonl")));
        }
        ServerLaunch launch = new ServerLaunch(requiredPath("jar"), modelDir, flags.string("jemalloc").equals("auto"), outDir);
        TokenLengths lengths = TokenLengths.of(modelDir, texts("retrieval"));
        printHeader(launch, bodies.keySet(), lengths);
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
            if (!vectorsAgree(servers, inProcess, lengths)) {
                return 4;
            }
            Map<String, URI> urls = new LinkedHashMap<>();
            servers.forEach((name, server) -> urls.put(name, server.url()));
            HttpRounds rounds = new HttpRounds(wrk, urls, bodies, texts, connections, inProcess, new HttpRounds.Timing(
                    flags.integer("rounds"), flags.integer("seconds"), flags.integer("warmup"), flags.integer("initial-warmup")), out);
            rounds.warmUp();
            results = rounds.run();
        } finally {
            for (ServerProcess server : servers.values()) {
                server.close();
            }
        }
        report(results, texts, bodies.keySet());
        List<FirstMinute.Result> firstMinutes = firstMinutes(launch, bodies);
        new TargetSummary(results, dtypes).print(firstMinutes, out);
        return failures(results, firstMinutes);
    }

    private void report(HttpResults results, Map<String, List<String>> texts, Set<String> workloads) {
        HttpReport report = new HttpReport(results, dtypes, !flags.bool("skip-peer"), connections, out);
        for (String workload : workloads) {
            report.workload(workload, describe(workload, texts.get(workload)));
        }
        if (!flags.bool("skip-langchain4j")) {
            report.inProcess(List.copyOf(workloads));
        }
        List<String> servers = new ArrayList<>(dtypes.stream().map(HttpResults::service).toList());
        if (!flags.bool("skip-peer")) {
            servers.add(HttpResults.PEER);
        }
        String subtitle = "all-MiniLM-L6-v2; " + firstLine(MachineInfo.describe()) + "; " + Instant.now().truncatedTo(ChronoUnit.MINUTES);
        for (String workload : workloads) {
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

    /** Before anything is timed: every server must compute the same vectors, or the ratios mean nothing. */
    private boolean vectorsAgree(Map<String, ServerProcess> servers, LangChain4jInProcess inProcess, TokenLengths lengths) {
        List<String> sample = new ArrayList<>(VectorAgreement.sample(texts("retrieval"), lengths, lengths.commonLimit(),
                flags.integer("validate-texts")));
        sample.add(EngineBenchmark.TWELVE_TOKENS);
        Map<String, Function<String, float[]>> references = new LinkedHashMap<>();
        if (servers.containsKey(HttpResults.PEER)) {
            references.put(HttpResults.PEER, VectorAgreement.overHttp(servers.get(HttpResults.PEER).url()));
        } else if (inProcess != null) {
            references.put("LangChain4j in-process", inProcess::vector);
        }
        out.printf("## Same vectors? %d texts of the retrieval corpus within %d tokens, and the 12-token sentence, one per request%n%n",
                sample.size() - 1, lengths.commonLimit());
        MarkdownTable table = new MarkdownTable("<server", "<against", "min cosine", "bound", "max abs(norm - 1)", "<verdict");
        boolean agree = true;
        for (String dtype : dtypes) {
            Function<String, float[]> service = VectorAgreement.overHttp(servers.get(HttpResults.service(dtype)).url());
            Map<String, Function<String, float[]>> against = new LinkedHashMap<>(references);
            Map<String, Double> bounds = new LinkedHashMap<>();
            references.keySet().forEach(name -> bounds.put(name, MIN_COSINE_TO_REFERENCE.get(dtype)));
            if (!dtype.equals("float32") && dtypes.contains("float32")) {
                against.put(HttpResults.service("float32"), VectorAgreement.overHttp(servers.get(HttpResults.service("float32")).url()));
                bounds.put(HttpResults.service("float32"), MIN_COSINE_TO_FLOAT32.get(dtype));
            }
            for (Map.Entry<String, Double> bound : bounds.entrySet()) {
                VectorAgreement.Result result = VectorAgreement.compare(service, against.get(bound.getKey()), sample);
                boolean ok = result.minCosine() >= bound.getValue() && result.maxNormError() <= VectorAgreement.NORM_TOLERANCE;
                agree &= ok;
                table.row(HttpResults.service(dtype), bound.getKey(), String.format(Locale.ROOT, "%.6f", result.minCosine()),
                        "≥ " + bound.getValue(), String.format(Locale.ROOT, "%.1e", result.maxNormError()),
                        ok ? "agree" : "**DISAGREE** (worst text: " + abbreviate(result.worstText()) + ")");
            }
        }
        table.print(out);
        if (references.isEmpty()) {
            out.println("**Vectors NOT compared: no reference (--skip-peer and --skip-langchain4j).**");
        }
        if (!agree) {
            out.println("**ABORTED: the servers do not compute the same vectors; nothing was timed. Their logs are in "
                    + outDir + ".**");
        }
        out.println();
        return agree;
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

    private void printHeader(ServerLaunch launch, Set<String> workloads, TokenLengths lengths) {
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
        out.println("load: " + wrkVersion() + ", wrk -t1 -cN --timeout 30s -s " + flags.string("wrk-script")
                + ", one text per request, the same bodies file for every server");
        for (String workload : workloads) {
            out.println("workload " + workload + ": " + describe(workload, texts(workload)));
        }
        if (workloads.contains("retrieval")) {
            out.println("**not the same work on long texts**: " + lengths.describe());
        }
        out.printf(Locale.ROOT, "planned: about %.1f minutes of load after start-up%n%n", plannedMinutes(workloads.size()));
    }

    private double plannedMinutes(int workloads) {
        int servers = dtypes.size() + (flags.bool("skip-peer") ? 0 : 1);
        int perRun = flags.integer("seconds") + flags.integer("warmup");
        double seconds = flags.integer("rounds") * (double) workloads * perRun
                * (servers * connections.size() + (flags.bool("skip-langchain4j") ? 0 : 2));
        seconds += (double) flags.integer("initial-warmup") * workloads * (servers + 1);
        if (!flags.bool("skip-first-minute")) {
            seconds += dtypes.size() * (flags.integer("first-minute-window") * flags.integer("first-minute-windows")
                    + flags.integer("first-minute-settle") + flags.integer("first-minute-steady"));
        }
        return seconds / 60;
    }

    private static List<String> texts(String workload) {
        return workload.equals("retrieval") ? RetrievalCorpus.texts(2000, 42) : List.of(EngineBenchmark.TWELVE_TOKENS);
    }

    private static String describe(String workload, List<String> texts) {
        return workload.equals("retrieval")
                ? "RetrievalCorpus.texts(2000, 42): " + texts.size() + " texts, English and ten other languages, one per request"
                : "one sentence of 12 tokens, \"" + texts.get(0) + "\", in every request";
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

    private static String wrkVersion() {
        try {
            Process wrk = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            String first = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("wrk");
            wrk.waitFor();
            return first.replaceAll(" Copyright.*", "");
        } catch (IOException e) {
            return "wrk (version unknown)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "wrk";
        }
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("");
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
