package io.embedserve.inference;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** The PyTorch engine, offline, with its thread count set once. */
public final class TorchRuntime {

    private static final String ENGINE = "PyTorch";
    static final String NATIVE_ENVIRONMENT_FILE = "native-environment.properties";
    private static final Pattern SETTING = Pattern.compile("([A-Z_][A-Z0-9_]*)=([A-Za-z0-9_.:/-]+)");

    /**
     * Process environment the native code reads once, at start-up, so the service cannot set it
     * itself: OpenMP's waiting policy and glibc's malloc settings, with the reason for each in
     * {@value #NATIVE_ENVIRONMENT_FILE}. That file is their one source: ./embedserve exports it, and
     * tests hold the copies in pom.xml and the Dockerfile to it.
     */
    public static final Map<String, String> NATIVE_ENVIRONMENT = nativeEnvironment();

    static {
        // DJL must never try to download anything: the native library ships in the jar.
        System.setProperty("ai.djl.offline", "true");
    }

    private TorchRuntime() {}

    private static Map<String, String> nativeEnvironment() {
        try (InputStream in = TorchRuntime.class.getResourceAsStream(NATIVE_ENVIRONMENT_FILE)) {
            if (in == null) {
                throw new IllegalStateException(NATIVE_ENVIRONMENT_FILE + " is missing from the classpath");
            }
            return parseEnvironment(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + NATIVE_ENVIRONMENT_FILE, e);
        }
    }

    /**
     * NAME=value lines in file order; blank lines and # comments are skipped. Anything else is
     * refused, so that the launcher's shell reads exactly what this reads.
     */
    static Map<String, String> parseEnvironment(String text) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : text.split("\n", -1)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher setting = SETTING.matcher(line);
            if (!setting.matches()) {
                throw new IllegalStateException(NATIVE_ENVIRONMENT_FILE + ": not a NAME=value line: '" + line + "'");
            }
            settings.put(setting.group(1), setting.group(2));
        }
        return Collections.unmodifiableMap(settings);
    }

    /**
     * Sets PyTorch's intra-op threads. Call before the first model loads; {@code threads} ≤ 0 means
     * the JVM's availableProcessors, which follows the container's CPU quota.
     */
    public static synchronized void configureThreads(int threads) {
        List<String> missing = missingNativeEnvironment(System.getenv());
        if (!missing.isEmpty()) {
            LoggerFactory.getLogger(TorchRuntime.class).warn(
                    "Set {} before starting the JVM (./embedserve and the Docker image do). Without OMP_WAIT_POLICY=PASSIVE"
                            + " forward passes ran 25-45x slower whenever request or tokenizer threads needed"
                            + " a CPU; without GOMP_SPINCOUNT a single sentence takes 45% longer; without the"
                            + " MALLOC_ settings the process grows over batches of varied shapes (or preload"
                            + " jemalloc, as the image and ./embedserve do: LD_PRELOAD=libjemalloc.so.2;"
                            + " docs/PERFORMANCE.md).",
                    String.join(" ", missing));
        }
        int count = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        // Read by DJL when the engine starts; setNumThreads covers an engine already started.
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(count));
        Engine.getEngine(ENGINE);
        JniUtils.setNumThreads(count);
    }

    /**
     * Sets the intra-op threads of the calling thread only: PyTorch's OpenMP backend keeps the count
     * per thread (each thread takes the process-wide value when it first runs an operator).
     */
    public static void useThreadsOnThisThread(int threads) {
        JniUtils.setNumThreads(threads);
    }

    /** The settings of {@link #NATIVE_ENVIRONMENT} that {@code environment} lacks, as NAME=value. */
    static List<String> missingNativeEnvironment(Map<String, String> environment) {
        return NATIVE_ENVIRONMENT.entrySet().stream()
                .filter(e -> !e.getValue().equals(environment.get(e.getKey())))
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.toList());
    }

    static NDManager newManager() {
        return NDManager.newBaseManager(ENGINE);
    }
}
