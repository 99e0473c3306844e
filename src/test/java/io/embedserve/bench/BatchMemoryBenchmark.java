package io.embedserve.bench;

import io.embedserve.inference.SentenceModel;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.SafetensorsWriter.Dtype;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.nio.file.Path;

/**
 * Resident memory of one forward pass, in a fresh JVM (bench/batch-memory.sh starts one per batch
 * shape, since the kernel's high-water mark VmHWM only ever grows): the model loaded and warmed as
 * the service does it (weights only, idle), then the peak through batches of B inputs of T tokens.
 * Token ids are spread evenly over the whole vocabulary, so that the pass faults in as much of the
 * memory-mapped word table as a batch of that size can; the service's start-up check counts the
 * whole weight file as resident anyway (config.MemoryBudget).
 */
public final class BatchMemoryBenchmark {

    private BatchMemoryBenchmark() {}

    public static void main(String[] args) throws InterruptedException {
        BenchArgs flags = BenchArgs.parse(args, BenchArgs.defaults(
                "dir", "", "batch", "64", "length", "128", "repeat", "2", "mixed", "0", "threads", "2"),
                "BatchMemoryBenchmark [--dir MODEL_DIR (default: the real-shape model, F32)] [--batch 64]"
                        + " [--length 128] [--repeat 2] [--mixed 0 (random shapes first)] [--threads 2]");
        Path dir = flags.given("dir") ? flags.path("dir") : RealShapeModel.ensure(RealShapeModel.DEFAULT_DIR, Dtype.F32);
        int batch = flags.integer("batch");
        int length = flags.integer("length");
        System.out.println("# BatchMemoryBenchmark " + flags.describe());
        io.embedserve.inference.TorchRuntime.configureThreads(flags.integer("threads"));
        System.out.println(MachineInfo.describe());
        System.out.println("jvm max heap: " + ProcStatus.mib(Runtime.getRuntime().maxMemory()));
        try (SentenceModel model = SentenceModel.load(new ModelSnapshot(dir, dir.getFileName().toString(), "local"), null)) {
            model.encodeBatch(List.of(new long[] {0, 100, 2})); // the service's warm-up pass
            System.gc();
            Thread.sleep(200);
            print("weights only (loaded, warmed, idle)", ProcStatus.read());
            int vocabulary = model.encoderConfig().vocabSize();
            runMixed(model, flags.integer("mixed"), batch, length, vocabulary);
            List<long[]> sequences = spreadIds(batch, length, vocabulary);
            for (int run = 1; run <= flags.integer("repeat"); run++) {
                long started = System.nanoTime();
                model.encodeBatch(sequences);
                print(String.format(Locale.ROOT, "after batch %d×%d, run %d (%.1f s)", batch, length, run,
                        (System.nanoTime() - started) / 1e9), ProcStatus.read());
            }
        }
    }

    /**
     * A service's life before the largest batch: {@code count} batches of random shapes within the
     * same limits (B ≤ maxBatch, T ≤ maxLength, B × T ≤ maxBatch × maxLength), so that whatever the
     * allocator keeps from earlier shapes is in the peak too.
     */
    private static void runMixed(SentenceModel model, int count, int maxBatch, int maxLength, int vocabulary) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(2026);
        for (int i = 0; i < count; i++) {
            int length = random.nextInt(2, maxLength + 1);
            int batch = random.nextInt(1, Math.min(maxBatch, maxBatch * maxLength / length) + 1);
            model.encodeBatch(spreadIds(batch, length, vocabulary));
            if ((i + 1) % 20 == 0 || i + 1 == count) {
                print("after " + (i + 1) + " batches of random shapes", ProcStatus.read());
            }
        }
    }

    /** {@code batch} sequences of {@code length} ids: {@code <s>}, ids at an even stride over the table, {@code </s>}. */
    static List<long[]> spreadIds(int batch, int length, int vocabulary) {
        long stride = Math.max(1, vocabulary / ((long) batch * length));
        List<long[]> sequences = new ArrayList<>(batch);
        long next = 3;
        for (int b = 0; b < batch; b++) {
            long[] ids = new long[length];
            ids[0] = 0;
            ids[length - 1] = 2;
            for (int t = 1; t < length - 1; t++) {
                ids[t] = next;
                next = 3 + (next - 3 + stride) % (vocabulary - 3);
            }
            sequences.add(ids);
        }
        return sequences;
    }

    private static void print(String label, ProcStatus status) {
        System.out.printf(Locale.ROOT, "%-44s VmRSS %9s  VmHWM %9s  RssAnon %9s  RssFile %9s%n", label + ":",
                ProcStatus.mib(status.vmRss()), ProcStatus.mib(status.vmHwm()), ProcStatus.mib(status.rssAnon()),
                ProcStatus.mib(status.rssFile()));
    }
}
