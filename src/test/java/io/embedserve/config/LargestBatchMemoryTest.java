package io.embedserve.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.RequiredTool;
import io.embedserve.bench.RealShapeModel;
import io.embedserve.inference.TorchRuntime;
import io.embedserve.inference.encode.ComputeDtype;
import io.embedserve.model.EncoderConfig;
import io.embedserve.testsupport.SafetensorsWriter.Dtype;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The largest batch the default settings allow, through a model of the default model's exact shape
 * (random weights, F32, full 250002-row vocabulary, written by the test), in a child JVM with the
 * image's native settings: its peak resident memory (the kernel's VmHWM) must stay within the bound
 * docs/PERFORMANCE.md documents ("Memory per batch") and within the start-up check's estimate.
 */
class LargestBatchMemoryTest {

    /** docs/PERFORMANCE.md, "Memory per batch": the bound for this child (engine only, -Xmx128m). */
    static final long DOCUMENTED_BOUND_MIB = 2491;

    /** The child's heap; it holds only the batch's ids and vectors, the model lives in native memory. */
    static final long CHILD_HEAP_MIB = 128;

    /** paraphrase-multilingual-mpnet-base-v2's sentence_bert_config.json. */
    static final int MAX_SEQ_LENGTH = 128;

    /** The allocator the image preloads (Dockerfile); Debian and Ubuntu's libjemalloc2. */
    static final Path JEMALLOC = Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");

    /** {@code java -jar} with the README's glibc settings, and the image with jemalloc preloaded. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"glibc", "jemalloc"})
    void largestDefaultBatchStaysWithinTheDocumentedPeakMemory(String allocator, @TempDir Path temp) throws Exception {
        RequiredTool.require(Files.isReadable(Path.of("/proc/self/status")), "needs Linux's /proc to read a process's peak RSS");
        Map<String, String> environment = new HashMap<>(TorchRuntime.NATIVE_ENVIRONMENT);
        if (allocator.equals("jemalloc")) {
            RequiredTool.require(Files.isReadable(JEMALLOC), "libjemalloc2 is not installed (apt-get install libjemalloc2)");
            environment.put("LD_PRELOAD", JEMALLOC.toString());
        }
        Path model = RealShapeModel.ensure(temp.resolve("real-shape"), Dtype.F32);
        ServingProperties defaults = BoundDefaults.serving();
        // The batch planner's caps: at most max-batch-requests inputs, at most max-batch-tokens padded tokens.
        int inputs = Math.min(defaults.maxBatchRequests(), defaults.maxBatchTokens() / MAX_SEQ_LENGTH);

        List<String> status = runChild(model, inputs, environment, temp.resolve("child.log"));
        long peak = kib(status, "VmHWM:") * 1024;

        MemoryEstimate estimate = MemoryBudget.estimate(EncoderConfig.read(model.resolve("config.json")),
                MAX_SEQ_LENGTH, defaults, ComputeDtype.FLOAT32, CHILD_HEAP_MIB << 20, 1);
        System.out.printf("largest default batch %d × %d, %s: child %s; start-up estimate %s%n", inputs, MAX_SEQ_LENGTH, allocator,
                String.join(", ", status).replaceAll("\\s+", " "), estimate.describe());
        assertThat(peak).as("peak RSS of %d × %d tokens (%s)", inputs, MAX_SEQ_LENGTH, status)
                .isLessThanOrEqualTo(DOCUMENTED_BOUND_MIB << 20)
                .isLessThanOrEqualTo(estimate.total());
    }

    private static List<String> runChild(Path model, int inputs, Map<String, String> environment, Path log)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx" + CHILD_HEAP_MIB + "m", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), LargestBatchProcess.class.getName(),
                model.toString(), String.valueOf(inputs), String.valueOf(MAX_SEQ_LENGTH))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process child = builder.start();
        try {
            assertThat(child.waitFor(10, TimeUnit.MINUTES)).as("child finished").isTrue();
        } finally {
            child.destroyForcibly();
        }
        List<String> output = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as("child exit code; its output: %s", output).isZero();
        return output.stream().filter(line -> line.startsWith("Vm") || line.startsWith("Rss")).toList();
    }

    private static long kib(List<String> status, String key) {
        return status.stream().filter(line -> line.startsWith(key))
                .mapToLong(line -> Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]))
                .findFirst().orElseThrow(() -> new AssertionError("no " + key + " in " + status));
    }
}
