package io.embedserve.bench;

import ai.djl.pytorch.jni.JniUtils;
import io.embedserve.inference.SentenceModel;
import io.embedserve.inference.TorchRuntime;
import io.embedserve.inference.encode.ComputeDtype;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.MiniLmFixture;
import io.embedserve.testsupport.RetrievalCorpus;
import io.embedserve.testsupport.SafetensorsWriter.Dtype;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Where one batch's time goes inside the engine, from PyTorch's own profiler (DJL's
 * JniUtils.startProfile): the operators the program ran, outermost only (an operator's children,
 * e.g. the GEMM inside _linear_pointwise, count in it; the program's methods are seen through), as
 * milliseconds per call, against the wall time of the whole call; the rest is the TorchScript
 * interpreter, JNI and copying in and out. The profiler itself slows each operator a little.
 *
 * <pre>bench/profile.sh --model real --corpus twelve --batch 1</pre>
 */
public final class ProfileBenchmark {

    private static final String USAGE = "ProfileBenchmark [--model minilm|real] [--dtype float32] [--corpus retrieval|twelve]"
            + " [--batch 1] [--threads 2] [--warmup 200] [--calls 100]";

    private ProfileBenchmark() {}

    public static void main(String[] args) throws Exception {
        BenchArgs flags = BenchArgs.parse(args, BenchArgs.defaults(
                "model", "minilm", "real-dir", RealShapeModel.DEFAULT_DIR.toString(), "dtype", "float32",
                "corpus", "retrieval", "batch", "1", "threads", "2", "warmup", "200", "calls", "100"), USAGE);
        TorchRuntime.configureThreads(flags.integer("threads"));
        System.out.println("# ProfileBenchmark " + flags.describe());
        System.out.println(MachineInfo.describe());
        Path dir = flags.string("model").equals("real")
                ? RealShapeModel.ensure(flags.path("real-dir"), Dtype.F32) : MiniLmFixture.modelDirectory();
        try (SentenceModel model = SentenceModel.load(new ModelSnapshot(dir, flags.string("model"), "local"), null,
                ComputeDtype.fromName(flags.string("dtype")))) {
            Corpus corpus = flags.string("corpus").equals("twelve")
                    ? new Corpus("twelve", List.of(EngineBenchmark.TWELVE_TOKENS))
                    : new Corpus("retrieval", RetrievalCorpus.texts(2000, 42));
            Workload workload = Workload.of(corpus, model, flags.integer("batch"));
            System.out.println("- " + workload.describe());
            List<Workload.Batch> batches = workload.batches();
            for (int i = 0; i < flags.integer("warmup"); i++) {
                model.encodeBatch(batches.get(i % batches.size()).idList());
            }
            int calls = flags.integer("calls");
            Path trace = Files.createTempFile("embedserve-profile", ".json");
            JniUtils.startProfile(false, false, false);
            long started = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                model.encodeBatch(batches.get(i % batches.size()).idList());
            }
            double wallMs = (System.nanoTime() - started) / 1e6 / calls;
            JniUtils.stopProfile(trace.toString());
            report(topLevel(new ObjectMapper().readTree(trace.toFile())), calls, wallMs);
            Files.deleteIfExists(trace);
        }
    }

    record Event(String name, long tid, double start, double duration) {}

    /** Events not contained in another event of the same thread. */
    static List<Event> topLevel(JsonNode trace) {
        List<Event> events = new ArrayList<>();
        for (JsonNode e : trace.isArray() ? trace : trace.path("traceEvents")) {
            // operators only ("ns::name"): the TorchScript methods around them are transparent
            if ("X".equals(e.path("ph").asString("")) && e.path("name").asString("").contains("::")) {
                events.add(new Event(e.path("name").asString(""), e.path("tid").asLong(),
                        e.path("ts").asDouble(), e.path("dur").asDouble()));
            }
        }
        events.sort(Comparator.comparingLong(Event::tid).thenComparingDouble(Event::start)
                .thenComparing(Comparator.comparingDouble(Event::duration).reversed()));
        List<Event> top = new ArrayList<>();
        Map<Long, Double> openUntil = new HashMap<>();
        for (Event e : events) {
            if (e.start() >= openUntil.getOrDefault(e.tid(), Double.NEGATIVE_INFINITY)) {
                top.add(e);
                openUntil.put(e.tid(), e.start() + e.duration());
            }
        }
        return top;
    }

    static void report(List<Event> top, int calls, double wallMs) {
        Map<String, double[]> byName = new HashMap<>(); // total µs, count
        double total = 0;
        for (Event e : top) {
            double[] sum = byName.computeIfAbsent(e.name(), n -> new double[2]);
            sum[0] += e.duration();
            sum[1]++;
            total += e.duration();
        }
        System.out.printf(Locale.ROOT, "wall time per call: %.3f ms; top-level operators: %.3f ms (%.0f%%); the rest"
                + " (interpreter, JNI, copies in and out): %.3f ms%n", wallMs, total / 1000 / calls,
                100 * total / 1000 / calls / wallMs, wallMs - total / 1000 / calls);
        System.out.println("| operator | ms per call | calls per call | share of wall |");
        System.out.println("|---|---:|---:|---:|");
        byName.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0])).limit(15)
                .forEach(e -> System.out.printf(Locale.ROOT, "| %s | %.3f | %.0f | %.0f%% |%n", e.getKey(),
                        e.getValue()[0] / 1000 / calls, e.getValue()[1] / calls, 100 * e.getValue()[0] / 1000 / calls / wallMs));
    }
}
