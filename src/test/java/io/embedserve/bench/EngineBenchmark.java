package io.embedserve.bench;

import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.embedserve.inference.SentenceModel;
import io.embedserve.inference.TorchRuntime;
import io.embedserve.inference.encode.ComputeDtype;
import io.embedserve.model.EncoderConfig;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.MiniLmFixture;
import io.embedserve.testsupport.OnnxReference;
import io.embedserve.testsupport.RetrievalCorpus;
import io.embedserve.testsupport.SafetensorsWriter.Dtype;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Offline throughput of the embedding engine: sentences and tokens per second at batch 1 and in
 * length-sorted batches of 32, for all-MiniLM-L6-v2 (against ONNX Runtime on the same ids and
 * batches, and LangChain4j on the same texts) and for the random-weight model with the shape of
 * paraphrase-multilingual-mpnet-base-v2. Every engine, each DTYPE of EmbedServe's among them, runs
 * in this one process, in interleaved rounds after a common warm-up (a PyTorch process here got up
 * to 1.7× faster over its first minute); each line ends with the median ratio to ONNX Runtime.
 *
 * <p>The headline corpus is {@code retrieval}: RetrievalCorpus's 2,000 generated texts, English
 * and ten other languages, 4 to 256 tokens, mean about 50. See docs/PERFORMANCE.md for the commands.
 */
public final class EngineBenchmark {

    static final Set<String> MODELS = Set.of("minilm", "real", "dir", "both");
    static final Set<String> ENGINES = Set.of("djl", "djl+tokenize", "onnxruntime", "langchain4j", "tokenize-only");
    static final Set<String> CORPORA = Set.of("retrieval", "short", "varied", "twelve", "file");
    /** A sentence of exactly 12 tokens with all-MiniLM's tokenizer (also the real-shape model's). */
    static final String TWELVE_TOKENS = "The quick brown fox jumps over the lazy dog.";

    private static final String USAGE = """
            EngineBenchmark [--model minilm|real|both|dir] [--model-dir DIR] [--real-dir DIR]
                            [--corpora retrieval,short,varied,twelve] [--corpus FILE] [--count 2000] [--limit N]
                            [--batches 1,32] [--dtypes float32,bfloat16,int8]
                            [--engines djl,djl+tokenize,onnxruntime,langchain4j,tokenize-only]
                            [--threads 2] [--initial-warmup 60] [--seconds 10] [--warmup 3] [--rounds 3]
                            [--idle-ms 0]""";

    private EngineBenchmark() {}

    public static void main(String[] args) {
        BenchArgs flags = BenchArgs.parse(args, BenchArgs.defaults(
                "model", "minilm",
                "model-dir", "",
                "real-dir", RealShapeModel.DEFAULT_DIR.toString(),
                "corpora", "retrieval",
                "corpus", "",
                "count", "2000",
                "short-count", "512",
                "varied-repeat", "10",
                "limit", "0",
                "batches", "1,32",
                "dtypes", "float32",
                "engines", "djl,onnxruntime,langchain4j",
                "threads", "2",
                "initial-warmup", "60",
                "seconds", "10",
                "warmup", "3",
                "rounds", "3",
                "idle-ms", "0",
                "ort-opt", "ALL_OPT",
                "gemm-shape", "4096x768x3072",
                "gemm-reps", "10"), USAGE);
        int threads = flags.integer("threads");
        TorchRuntime.configureThreads(threads);
        System.out.println("# EngineBenchmark " + flags.describe());
        System.out.println(MachineInfo.describe());
        System.out.println("threads: PyTorch intra-op " + threads + ", ONNX Runtime intra-op " + threads
                + " (" + flags.string("ort-opt") + "); LangChain4j as shipped (its own session, an executor of "
                + Runtime.getRuntime().availableProcessors() + " threads, one text per call)");
        System.out.println("djl*, onnxruntime: pre-tokenized ids, the same padded batches; djl+tokenize, langchain4j: from text");
        if (flags.number("idle-ms") > 0) {
            System.out.println("idle after every measured batch: " + flags.string("idle-ms")
                    + " ms, as a worker between one client's requests; left out of every rate");
        }
        double gemm = measureGemm(flags);
        System.out.printf(Locale.ROOT, "GEMM ceiling: %.1f GFLOP/s (%s float32 oneDNN, plain weight layout, median of %d)%n",
                gemm / 1e9, flags.string("gemm-shape"), flags.integer("gemm-reps"));
        System.out.println(EncoderFlops.FORMULA);
        new Run(flags, gemm, threads).all();
        double after = measureGemm(flags);
        double drift = after / gemm - 1;
        System.out.printf(Locale.ROOT, "%nGEMM ceiling again at the end: %.1f GFLOP/s (%+.0f%%)%s%n", after / 1e9,
                100 * drift, Math.abs(drift) > 0.1 ? " — the machine was not quiet; do not publish these numbers" : "");
    }

    /** FLOP/s of the engine's float32 dense path (oneDNN, plain weight layout), median of interleaved reps. */
    private static double measureGemm(BenchArgs flags) {
        long[] mkn = GemmBenchmark.parseShape(flags.string("gemm-shape"));
        // float32 only: preparing the bfloat16 paths fails on a CPU without bfloat16 support
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                Gemm gemm = new Gemm(manager, mkn[0], mkn[1], mkn[2], false)) {
            gemm.secondsPerProduct(Gemm.Path.FP32_ONEDNN_PLAIN, 2);
            List<Double> rates = new ArrayList<>();
            for (int i = 0; i < flags.integer("gemm-reps"); i++) {
                rates.add(gemm.flops() / gemm.secondsPerProduct(Gemm.Path.FP32_ONEDNN_PLAIN, 3));
            }
            return GemmBenchmark.median(rates);
        }
    }

    /** One invocation: every selected model × corpus × batch size × engine. */
    private record Run(BenchArgs flags, double gemm, int threads) {

        void all() {
            for (String model : models()) {
                List<String> notes = new ArrayList<>();
                Map<String, SentenceModel> loaded = new LinkedHashMap<>();
                try {
                    for (String dtype : flags.list("dtypes", Set.of("float32", "bfloat16", "int8"))) {
                        loaded.put(dtype, load(model, ComputeDtype.fromName(dtype), notes));
                    }
                    SentenceModel first = loaded.values().iterator().next();
                    List<BatchEngine> engines = engines(model, loaded, notes);
                    System.out.println();
                    System.out.println("## " + model + ": " + first.snapshot().directory());
                    notes.forEach(System.out::println);
                    List<Workload> workloads = new ArrayList<>();
                    for (Corpus corpus : corpora()) {
                        for (int batchSize : flags.integers("batches")) {
                            workloads.add(Workload.of(corpus, first, batchSize));
                        }
                    }
                    warmUp(engines, workloads);
                    Throughput.Measurement.header().forEach(System.out::println);
                    List<String> summary = new ArrayList<>();
                    for (Workload workload : workloads) {
                        measure(model, first.encoderConfig(), engines, workload, summary);
                    }
                    System.out.println();
                    summary.forEach(System.out::println);
                } finally {
                    loaded.values().forEach(SentenceModel::close);
                }
            }
        }

        /** Every engine in turn over every workload until the initial warm-up time is used up. */
        private void warmUp(List<BatchEngine> engines, List<Workload> workloads) {
            double seconds = flags.number("initial-warmup");
            System.out.printf(Locale.ROOT, "warm-up: %.0f s, every engine in turn on every workload%n", seconds);
            long end = System.nanoTime() + (long) (seconds * 1e9);
            int next = 0;
            while (System.nanoTime() < end) {
                for (BatchEngine engine : engines) {
                    for (Workload workload : workloads) {
                        long slice = System.nanoTime() + 500_000_000L;
                        while (System.nanoTime() < slice) {
                            engine.run(workload.batches().get(next++ % workload.batches().size()));
                        }
                    }
                }
            }
        }

        private void measure(String model, EncoderConfig config, List<BatchEngine> engines, Workload workload,
                List<String> summary) {
            double flopsPerPass = EncoderFlops.perPass(config, workload);
            Map<String, List<Throughput.Measurement>> byEngine = new LinkedHashMap<>();
            for (int round = 0; round < flags.integer("rounds"); round++) {
                for (BatchEngine engine : engines) {
                    Throughput.Measurement m = Throughput.measure(engine, workload, flopsPerPass,
                            flags.number("warmup"), flags.number("seconds"), flags.number("idle-ms"));
                    System.out.println(m.row(model));
                    byEngine.computeIfAbsent(engine.name(), e -> new ArrayList<>()).add(m);
                }
            }
            summary.add("- " + workload.describe());
            summary.add(String.format(Locale.ROOT,
                    "  GEMM limit: %.2f GFLOP per pass (%.1f MFLOP per padded token) → %.1f sentences/s at %.1f GFLOP/s",
                    flopsPerPass / 1e9, flopsPerPass / workload.paddedTokens() / 1e6,
                    gemm / (flopsPerPass / workload.sentences()), gemm / 1e9));
            List<Throughput.Measurement> onnx = byEngine.get("onnxruntime");
            byEngine.forEach((engine, measurements) -> {
                Throughput.Measurement median = median(measurements);
                summary.add(String.format(Locale.ROOT, "  MEDIAN %s %s %s B=%d: %.1f sentences/s, batch p50 %.2f ms,"
                                + " %s GFLOP/s%s", model, engine, workload.corpus().label(), workload.batchSize(),
                        median.sentencesPerSecond(), median.batches().percentileMillis(50),
                        Double.isNaN(median.flopsPerSecond()) ? "-" : String.format(Locale.ROOT, "%.1f", median.flopsPerSecond() / 1e9),
                        onnx == null || engine.equals("onnxruntime") ? "" : String.format(Locale.ROOT,
                                "; RATIO to onnxruntime %.2f (median of the per-round ratios)", medianRatio(measurements, onnx))));
            });
        }

        private static Throughput.Measurement median(List<Throughput.Measurement> measurements) {
            List<Throughput.Measurement> sorted = new ArrayList<>(measurements);
            sorted.sort(java.util.Comparator.comparingDouble(Throughput.Measurement::sentencesPerSecond));
            return sorted.get(sorted.size() / 2);
        }

        /** Each round's ratio compares two measurements taken side by side; their median resists drift. */
        private static double medianRatio(List<Throughput.Measurement> engine, List<Throughput.Measurement> onnx) {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < engine.size(); i++) {
                ratios.add(engine.get(i).sentencesPerSecond() / onnx.get(i).sentencesPerSecond());
            }
            return GemmBenchmark.median(ratios);
        }

        private List<String> models() {
            List<String> chosen = flags.list("model", MODELS);
            if (!flags.given("model") && flags.given("model-dir")) {
                return List.of("dir");
            }
            Set<String> out = new LinkedHashSet<>();
            for (String model : chosen) {
                out.addAll(model.equals("both") ? List.of("minilm", "real") : List.of(model));
            }
            return List.copyOf(out);
        }

        private List<Corpus> corpora() {
            List<String> names = flags.given("corpus") && !flags.given("corpora")
                    ? List.of("file") : flags.list("corpora", CORPORA);
            int limit = flags.integer("limit");
            return names.stream().map(name -> (switch (name) {
                case "retrieval" -> new Corpus("retrieval", RetrievalCorpus.texts(flags.integer("count"), 42));
                case "short" -> Corpus.shortSentences(flags.integer("short-count"));
                case "varied" -> Corpus.varied(flags.integer("varied-repeat"));
                case "twelve" -> new Corpus("twelve", List.of(TWELVE_TOKENS));
                default -> Corpus.file(requirePath("corpus"));
            }).limit(limit)).toList();
        }

        private SentenceModel load(String model, ComputeDtype dtype, List<String> notes) {
            Path dir = switch (model) {
                case "minilm" -> MiniLmFixture.modelDirectory();
                case "real" -> RealShapeModel.ensure(flags.path("real-dir"), Dtype.F32);
                default -> requirePath("model-dir");
            };
            long started = System.nanoTime();
            SentenceModel loaded = SentenceModel.load(new ModelSnapshot(dir, model, "local"), null, dtype);
            EncoderConfig c = loaded.encoderConfig();
            notes.add(String.format(Locale.ROOT,
                    "%s %s: %s, %d layers, hidden %d, heads %d, intermediate %d, vocab %d, max_seq_length %d; loaded in %.1f s",
                    model, dtype.wireName(), c.family(), c.numHiddenLayers(), c.hiddenSize(), c.numAttentionHeads(),
                    c.intermediateSize(), c.vocabSize(), loaded.pipeline().maxSeqLength(), (System.nanoTime() - started) / 1e9));
            if (model.equals("real") && dtype == ComputeDtype.FLOAT32) {
                notes.add("random weights; " + RealShapeModel.TOKENIZER_NOTE);
            }
            return loaded;
        }

        /** EmbedServe once per DTYPE; ONNX Runtime and LangChain4j only for all-MiniLM-L6-v2, the model they ship. */
        private List<BatchEngine> engines(String model, Map<String, SentenceModel> byDtype, List<String> notes) {
            List<BatchEngine> engines = new ArrayList<>();
            SentenceModel first = byDtype.values().iterator().next();
            for (String name : flags.list("engines", ENGINES)) {
                switch (name) {
                    case "djl" -> byDtype.forEach((dtype, loaded) ->
                            engines.add(BatchEngine.djl(dtype.equals("float32") ? "djl" : "djl-" + dtype, loaded)));
                    case "djl+tokenize" -> engines.add(BatchEngine.djlWithTokenizer(first));
                    case "tokenize-only" -> engines.add(BatchEngine.tokenizeOnly(first));
                    case "onnxruntime" -> {
                        if (model.equals("minilm")) {
                            engines.add(BatchEngine.onnxRuntime(onnx()));
                        }
                    }
                    case "langchain4j" -> {
                        if (model.equals("minilm")) {
                            engines.add(BatchEngine.langChain4j(new AllMiniLmL6V2EmbeddingModel()));
                            notes.add("langchain4j truncates at 510 tokens and averages longer texts' chunks;"
                                    + " the others truncate at max_seq_length");
                        }
                    }
                    default -> throw new IllegalArgumentException(name);
                }
            }
            return engines;
        }

        /** Never closed: it is needed until the end, and the benchmark process ends right after. */
        private OnnxReference onnx() {
            return OnnxReference.miniLm(threads, OptLevel.valueOf(flags.string("ort-opt")));
        }

        private Path requirePath(String flag) {
            Path path = flags.path(flag);
            if (path == null) {
                throw new IllegalArgumentException("--" + flag + " is required here");
            }
            return path;
        }
    }
}
