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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How to spend the CPUs on inference: W worker threads sharing one loaded model, each running
 * PyTorch ops on T intra-op threads (layout "WxT"), compared in interleaved rounds in one process
 * so that every layout sees the same machine state. Each worker pulls the next batch of the same
 * workload; the figure is sentences per second with every batch available at once (a full queue)
 * and the batch latency. Minor page faults per batch come from /proc/self/stat, to show what the
 * malloc settings (environment, so compared across runs) change.
 */
public final class WorkerLayoutBenchmark {

    private static final String USAGE = """
            WorkerLayoutBenchmark [--model minilm|real|dir] [--model-dir DIR] [--dtype float32|bfloat16|int8]
                                  [--count 2000] [--batches 1,32] [--layouts 1x2,2x1] [--seconds 10]
                                  [--rounds 3] [--warmup 20]""";

    private WorkerLayoutBenchmark() {}

    public static void main(String[] args) throws Exception {
        BenchArgs flags = BenchArgs.parse(args, BenchArgs.defaults(
                "model", "minilm", "model-dir", "", "real-dir", RealShapeModel.DEFAULT_DIR.toString(),
                "dtype", "float32", "count", "2000", "batches", "1,32", "layouts", "1x2,2x1",
                "seconds", "10", "rounds", "3", "warmup", "20"), USAGE);
        TorchRuntime.configureThreads(Runtime.getRuntime().availableProcessors());
        System.out.println("# WorkerLayoutBenchmark " + flags.describe());
        System.out.println(MachineInfo.describe());
        Path dir = switch (flags.string("model")) {
            case "minilm" -> MiniLmFixture.modelDirectory();
            case "real" -> RealShapeModel.ensure(flags.path("real-dir"), Dtype.F32);
            default -> flags.path("model-dir");
        };
        ComputeDtype dtype = ComputeDtype.fromName(flags.string("dtype"));
        try (SentenceModel model = SentenceModel.load(new ModelSnapshot(dir, flags.string("model"), "local"), null, dtype)) {
            Corpus corpus = new Corpus("retrieval", RetrievalCorpus.texts(flags.integer("count"), 42));
            List<Workload> workloads = new ArrayList<>();
            for (int batch : flags.integers("batches")) {
                workloads.add(Workload.of(corpus, model, batch));
            }
            workloads.forEach(w -> System.out.println("- " + w.describe()));
            List<String> layouts = List.of(flags.string("layouts").split(","));
            run(model, workloads.get(workloads.size() - 1), layouts.get(0), flags.number("warmup"));
            System.out.println("| round | layout | B | sent/s | batch ms p50 | batch ms p95 | minor faults / batch |");
            System.out.println("|---:|---|---:|---:|---:|---:|---:|");
            for (int round = 1; round <= flags.integer("rounds"); round++) {
                for (Workload workload : workloads) {
                    for (String layout : layouts) {
                        Result r = run(model, workload, layout, flags.number("seconds"));
                        System.out.printf(Locale.ROOT, "| %d | %s | %d | %.1f | %.2f | %.2f | %.1f |%n", round, layout,
                                workload.batchSize(), r.sentencesPerSecond, r.samples.percentileMillis(50),
                                r.samples.percentileMillis(95), r.faultsPerBatch);
                    }
                }
            }
        }
    }

    record Result(double sentencesPerSecond, Samples samples, double faultsPerBatch) {}

    static Result run(SentenceModel model, Workload workload, String layout, double seconds) throws InterruptedException {
        int workers = Integer.parseInt(layout.split("x")[0]);
        int threads = Integer.parseInt(layout.split("x")[1]);
        AtomicInteger next = new AtomicInteger();
        AtomicLong sentences = new AtomicLong();
        List<Samples> perWorker = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long faultsBefore = minorFaults();
        List<Thread> running = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Samples samples = new Samples();
            perWorker.add(samples);
            Thread thread = new Thread(() -> {
                JniUtils.setNumThreads(threads); // this thread's OpenMP team size
                while (System.nanoTime() < end) {
                    Workload.Batch batch = workload.batches().get(next.getAndIncrement() % workload.batches().size());
                    long t0 = System.nanoTime();
                    model.encodeBatch(batch.idList());
                    samples.add(System.nanoTime() - t0);
                    sentences.addAndGet(batch.ids().length);
                }
            }, "layout-worker-" + w);
            running.add(thread);
        }
        long started = System.nanoTime();
        for (Thread thread : running) {
            thread.start();
        }
        for (Thread thread : running) {
            thread.join();
        }
        double wall = (System.nanoTime() - started) / 1e9;
        Samples all = new Samples();
        int batches = 0;
        for (Samples s : perWorker) {
            batches += s.count();
            s.forEach(all::add);
        }
        return new Result(sentences.get() / wall, all, (minorFaults() - faultsBefore) / (double) Math.max(1, batches));
    }

    /** Minor page faults of this process so far (/proc/self/stat, field 10). */
    static long minorFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[7]);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
