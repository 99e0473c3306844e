package io.embedserve.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.embedserve.inference.SentenceModel;
import io.embedserve.inference.TorchRuntime;
import io.embedserve.inference.tokenize.TextTokenizer;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.SafetensorsWriter.Dtype;
import io.embedserve.testsupport.Sentences;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Resident memory of loading a model, in a fresh JVM (bench/load-memory.sh starts one per run):
 * the baseline after the PyTorch engine and the tokenizer library are initialised, then the peak
 * while {@link SentenceModel#load} runs, sampled from /proc/self/status every few milliseconds
 * and confirmed by the kernel's high-water mark VmHWM. The goal is a peak below
 * baseline + 1.5 × the weight file: weights are mapped, not read through the heap and copied.
 */
public final class LoadMemoryBenchmark {

    static final double ALLOWED_FACTOR = 1.5;

    private LoadMemoryBenchmark() {}

    public static void main(String[] args) throws InterruptedException {
        BenchArgs flags = BenchArgs.parse(args, BenchArgs.defaults(
                "dir", "", "dtype", "F32", "threads", "2", "interval-ms", "10"),
                "LoadMemoryBenchmark [--dir MODEL_DIR] [--dtype F32|F16|BF16 (real-shape model written if no --dir)]"
                        + " [--threads 2] [--interval-ms 10]");
        Dtype dtype = Dtype.valueOf(flags.string("dtype").toUpperCase(Locale.ROOT));
        Path dir = flags.given("dir") ? flags.path("dir") : RealShapeModel.ensure(RealShapeModel.defaultDirectory(dtype), dtype);
        System.out.println("# LoadMemoryBenchmark " + flags.describe());
        initialiseRuntimes(dir, flags.integer("threads"));
        System.out.println(MachineInfo.describe());
        System.gc();
        Thread.sleep(200);
        ProcStatus baseline = ProcStatus.read();
        RssSampler sampler = RssSampler.start(flags.integer("interval-ms"));
        long started = System.nanoTime();
        try (SentenceModel model = SentenceModel.load(new ModelSnapshot(dir, dir.getFileName().toString(), "local"), null)) {
            long loadNanos = System.nanoTime() - started;
            sampler.stop();
            ProcStatus afterLoad = ProcStatus.read();
            model.encodeBatch(Sentences.shortSentences(32).stream().map(t -> model.tokenizer().encode(t).ids()).toList());
            ProcStatus afterBatch = ProcStatus.read();
            report(dir, baseline, sampler, afterLoad, afterBatch, loadNanos);
        }
    }

    /** The baseline includes libtorch and the tokenizers library: what every service process has before a model. */
    private static void initialiseRuntimes(Path dir, int threads) {
        TorchRuntime.configureThreads(threads);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            NDArray probe = manager.ones(new ai.djl.ndarray.types.Shape(64, 64));
            probe.matMul(probe).sum().getFloat();
        }
        try (TextTokenizer tokenizer = TextTokenizer.load(dir.resolve("tokenizer.json"), false)) {
            tokenizer.encode("warm up the native tokenizer");
        }
    }

    private static void report(Path dir, ProcStatus baseline, RssSampler sampler, ProcStatus afterLoad,
            ProcStatus afterBatch, long loadNanos) {
        long file = fileSize(dir);
        ProcStatus peakSample = sampler.peak();
        long peak = Math.max(afterLoad.vmHwm(), peakSample.vmRss());
        long allowed = baseline.vmRss() + (long) (ALLOWED_FACTOR * file);
        List<String> lines = List.of(
                "model: " + dir + " (" + weightDtype(dir) + ")",
                String.format(Locale.ROOT, "weight file(s): %d bytes (%s)", file, ProcStatus.mib(file)),
                "baseline RSS (JVM + PyTorch + tokenizers, before load): " + ProcStatus.mib(baseline.vmRss())
                        + " (anon " + ProcStatus.mib(baseline.rssAnon()) + ", file " + ProcStatus.mib(baseline.rssFile()) + ")",
                String.format(Locale.ROOT, "load time: %.2f s; %d RSS samples", loadNanos / 1e9, sampler.samples()),
                "peak RSS during load: " + ProcStatus.mib(peak) + " (VmHWM " + ProcStatus.mib(afterLoad.vmHwm())
                        + ", highest sample " + ProcStatus.mib(peakSample.vmRss()) + " = anon "
                        + ProcStatus.mib(peakSample.rssAnon()) + " + file " + ProcStatus.mib(peakSample.rssFile()) + ")",
                "RSS after load: " + ProcStatus.mib(afterLoad.vmRss()) + " (anon " + ProcStatus.mib(afterLoad.rssAnon())
                        + ", file " + ProcStatus.mib(afterLoad.rssFile()) + ")",
                "RSS after one batch of 32: " + ProcStatus.mib(afterBatch.vmRss()) + " (anon "
                        + ProcStatus.mib(afterBatch.rssAnon()) + ", file " + ProcStatus.mib(afterBatch.rssFile()) + ")",
                String.format(Locale.ROOT, "(peak - baseline) / file = %.2f; steady (after load - baseline) / file = %.2f",
                        (peak - baseline.vmRss()) / (double) file, (afterLoad.vmRss() - baseline.vmRss()) / (double) file),
                String.format(Locale.ROOT, "peak < baseline + %.1f × file (%s): %s", ALLOWED_FACTOR, ProcStatus.mib(allowed),
                        peak < allowed ? "PASS" : "FAIL"),
                // Mapped float32 weights become resident only when a forward pass first reads them.
                String.format(Locale.ROOT, "peak RSS through load and first batch (VmHWM): %s; (peak - baseline) / file = %.2f;"
                        + " below baseline + %.1f × file: %s", ProcStatus.mib(afterBatch.vmHwm()),
                        (afterBatch.vmHwm() - baseline.vmRss()) / (double) file, ALLOWED_FACTOR,
                        afterBatch.vmHwm() < allowed ? "PASS" : "FAIL"));
        lines.forEach(System.out::println);
    }

    private static long fileSize(Path dir) {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".safetensors"))
                    .mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String weightDtype(Path dir) {
        try {
            String config = Files.readString(dir.resolve("config.json"));
            int at = config.indexOf("\"torch_dtype\"");
            return at < 0 ? "torch_dtype not stated" : config.substring(at, config.indexOf('\n', at)).trim();
        } catch (IOException e) {
            return "config.json unreadable";
        }
    }
}
