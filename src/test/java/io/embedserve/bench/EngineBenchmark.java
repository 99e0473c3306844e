package io.embedserve.bench;

import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.embedserve.inference.SentenceModel;
import io.embedserve.inference.TorchRuntime;
import io.embedserve.model.EncoderConfig;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.MiniLmFixture;
import io.embedserve.testsupport.OnnxReference;
import io.embedserve.testsupport.SafetensorsWriter.Dtype;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Offline throughput of the embedding engine: sentences and tokens per second at batch 1 and in
 * length-sorted batches of 32, for all-MiniLM-L6-v2 (against ONNX Runtime on the same ids and
 * batches, and LangChain4j on the same texts) and for the random-weight model with the shape of
 * paraphrase-multilingual-mpnet-base-v2 (against the machine's measured GEMM ceiling).
 *
 * <p>With {@code --corpus FILE} it prints the offline reference that the HTTP service is held to:
 * the service must reach 85% of what the engine reaches on the same sentences in offline,
 * length-sorted batches of 32. See docs/PERFORMANCE.md for the commands.
 */
public final class EngineBenchmark {

    static final Set<String> MODELS = Set.of("minilm", "real", "dir", "both");
    static final Set<String> ENGINES = Set.of("djl", "djl+tokenize", "onnxruntime", "langchain4j", "tokenize-only");
    static final double SERVICE_SHARE = 0.85;

    private static final String USAGE = """
            EngineBenchmark [--model minilm|real|both|dir] [--model-dir DIR] [--real-dir DIR]
                            [--corpora short,varied] [--corpus FILE] [--limit N] [--batches 1,32]
                            [--engines djl,djl+tokenize,onnxruntime,langchain4j,tokenize-only]
                            [--threads 2] [--seconds 10] [--warmup 3] [--rounds 1] [--ort-opt ALL_OPT]""";

    private EngineBenchmark() {}

    public static void main(String[] args) {
        BenchArgs flags = BenchArgs.parse(args, BenchArgs.defaults(
                "model", "both",
                "model-dir", "",
                "real-dir", RealShapeModel.DEFAULT_DIR.toString(),
                "corpora", "short,varied",
                "corpus", "",
                "short-count", "512",
                "varied-repeat", "10",
                "limit", "0",
                "batches", "1,32",
                "engines", String.join(",", List.of("djl", "djl+tokenize", "onnxruntime", "langchain4j", "tokenize-only")),
                "threads", "2",
                "seconds", "10",
                "warmup", "3",
                "rounds", "1",
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
        System.out.println("djl, onnxruntime: pre-tokenized ids; djl+tokenize, langchain4j: from text on the calling thread(s)");
        Gemm.Result gemm = measureGemm(flags);
        System.out.printf(Locale.ROOT, "GEMM ceiling: %.1f GFLOP/s (%s float32 matmul, median of %d)%n",
                gemm.flopsPerSecond() / 1e9, flags.string("gemm-shape"), gemm.samples().count());
        System.out.println(EncoderFlops.FORMULA);
        new EngineBenchmark.Run(flags, gemm, threads).all();
        Gemm.Result after = measureGemm(flags);
        double drift = after.flopsPerSecond() / gemm.flopsPerSecond() - 1;
        System.out.printf(Locale.ROOT, "%nGEMM ceiling again at the end: %.1f GFLOP/s (%+.0f%%)%s%n", after.flopsPerSecond() / 1e9,
                100 * drift, Math.abs(drift) > 0.1 ? " — the machine was not quiet; do not publish these numbers" : "");
    }

    private static Gemm.Result measureGemm(BenchArgs flags) {
        long[] mkn = GemmBenchmark.parseShape(flags.string("gemm-shape"));
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            return Gemm.measure(manager, Gemm.Form.MATMUL, mkn[0], mkn[1], mkn[2], 3, flags.integer("gemm-reps"));
        }
    }

    /** One invocation: every selected model × corpus × batch size × engine. */
    private record Run(BenchArgs flags, Gemm.Result gemm, int threads) {

        void all() {
            for (String model : models()) {
                List<String> notes = new ArrayList<>();
                try (SentenceModel sentenceModel = load(model, notes)) {
                    List<BatchEngine> engines = engines(model, sentenceModel, notes);
                    System.out.println();
                    System.out.println("## " + model + ": " + sentenceModel.snapshot().directory());
                    notes.forEach(System.out::println);
                    Throughput.Measurement.header().forEach(System.out::println);
                    List<String> summary = new ArrayList<>();
                    for (Corpus corpus : corpora()) {
                        for (int batchSize : flags.integers("batches")) {
                            measure(model, sentenceModel, engines, Workload.of(corpus, sentenceModel, batchSize), summary);
                        }
                    }
                    System.out.println();
                    summary.forEach(System.out::println);
                }
            }
        }

        private void measure(String model, SentenceModel sentenceModel, List<BatchEngine> engines, Workload workload,
                List<String> summary) {
            EncoderConfig config = sentenceModel.encoderConfig();
            double flopsPerPass = EncoderFlops.perPass(config, workload);
            double bestDjl = 0;
            double bestDjlTokens = 0;
            double bestDjlFlops = 0;
            for (int round = 0; round < flags.integer("rounds"); round++) {
                for (BatchEngine engine : engines) {
                    Throughput.Measurement m = Throughput.measure(engine, workload, flopsPerPass,
                            flags.number("warmup"), flags.number("seconds"));
                    System.out.println(m.row(model));
                    if (engine.name().equals("djl") && m.sentencesPerSecond() > bestDjl) {
                        bestDjl = m.sentencesPerSecond();
                        bestDjlTokens = m.realTokensPerSecond();
                        bestDjlFlops = m.flopsPerSecond();
                    }
                }
            }
            summary.add("- " + workload.describe());
            double limitSentences = gemm.flopsPerSecond() / (flopsPerPass / workload.sentences());
            summary.add(String.format(Locale.ROOT,
                    "  GEMM limit: %.2f GFLOP per pass (%.1f MFLOP per padded token) → %.1f sentences/s, %.0f padded tokens/s"
                            + " at %.1f GFLOP/s%s",
                    flopsPerPass / 1e9, flopsPerPass / workload.paddedTokens() / 1e6, limitSentences,
                    limitSentences * workload.paddedTokens() / workload.sentences(), gemm.flopsPerSecond() / 1e9,
                    bestDjl > 0 ? String.format(Locale.ROOT, "; djl reached %.0f%% of it (%.1f GFLOP/s)",
                            100 * bestDjlFlops / gemm.flopsPerSecond(), bestDjlFlops / 1e9) : ""));
            if (bestDjl > 0 && workload.batchSize() == SentenceModel.DEFAULT_BATCH_SEQUENCES) {
                summary.add(String.format(Locale.ROOT,
                        "  OFFLINE REFERENCE %s on %s: %.1f sentences/s, %.0f real tokens/s (djl, pre-tokenized,"
                                + " length-sorted batches of %d, %d threads, best of %d round(s)); the service must reach"
                                + " %.0f%% = %.1f sentences/s on the same sentences",
                        model, workload.corpus().label(), bestDjl, bestDjlTokens, workload.batchSize(), threads,
                        flags.integer("rounds"), 100 * SERVICE_SHARE, SERVICE_SHARE * bestDjl));
            }
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
                    ? List.of("file") : flags.list("corpora", Set.of("short", "varied", "file"));
            int limit = flags.integer("limit");
            return names.stream().map(name -> (switch (name) {
                case "short" -> Corpus.shortSentences(flags.integer("short-count"));
                case "varied" -> Corpus.varied(flags.integer("varied-repeat"));
                default -> Corpus.file(requirePath("corpus"));
            }).limit(limit)).toList();
        }

        private SentenceModel load(String model, List<String> notes) {
            Path dir = switch (model) {
                case "minilm" -> MiniLmFixture.modelDirectory();
                case "real" -> RealShapeModel.ensure(flags.path("real-dir"), Dtype.F32);
                default -> requirePath("model-dir");
            };
            long started = System.nanoTime();
            SentenceModel loaded = SentenceModel.load(new ModelSnapshot(dir, model, "local"), null);
            EncoderConfig c = loaded.encoderConfig();
            notes.add(String.format(Locale.ROOT,
                    "%s: %s, %d layers, hidden %d, heads %d, intermediate %d, vocab %d, max_seq_length %d; loaded in %.1f s",
                    model, c.family(), c.numHiddenLayers(), c.hiddenSize(), c.numAttentionHeads(), c.intermediateSize(),
                    c.vocabSize(), loaded.pipeline().maxSeqLength(), (System.nanoTime() - started) / 1e9));
            if (model.equals("real")) {
                notes.add("random weights; " + RealShapeModel.TOKENIZER_NOTE);
            }
            return loaded;
        }

        /** ONNX Runtime and LangChain4j exist only for all-MiniLM-L6-v2, the model they ship. */
        private List<BatchEngine> engines(String model, SentenceModel sentenceModel, List<String> notes) {
            List<BatchEngine> engines = new ArrayList<>();
            for (String name : flags.list("engines", ENGINES)) {
                switch (name) {
                    case "djl" -> engines.add(BatchEngine.djl(sentenceModel));
                    case "djl+tokenize" -> engines.add(BatchEngine.djlWithTokenizer(sentenceModel));
                    case "tokenize-only" -> engines.add(BatchEngine.tokenizeOnly(sentenceModel));
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
