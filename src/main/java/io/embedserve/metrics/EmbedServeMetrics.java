package io.embedserve.metrics;

import io.embedserve.error.ErrorKind;
import io.embedserve.inference.Embeddings;
import io.embedserve.inference.Scores;
import io.embedserve.inference.batch.BatchListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every meter EmbedServe exports, named here and nowhere else, and registered when the service
 * starts so that Prometheus sees them at zero before the first request. Tags carry only fixed
 * vocabularies (route names, outcomes, error kinds, the models' roles), never user text.
 */
public final class EmbedServeMetrics implements BatchListener {

    public static final String REQUESTS = "embedserve.requests";
    public static final String REQUEST_DURATION = "embedserve.request.duration";
    public static final String TOKENIZATION = "embedserve.request.tokenization";
    public static final String QUEUE = "embedserve.request.queue";
    public static final String INFERENCE = "embedserve.request.inference";
    public static final String REQUEST_TOKENS = "embedserve.request.tokens";
    public static final String REQUEST_INPUTS = "embedserve.request.inputs";
    public static final String BATCH_SIZE = "embedserve.batch.size";
    public static final String BATCH_TOKENS = "embedserve.batch.tokens";
    public static final String BATCH_INFERENCE = "embedserve.batch.inference";
    public static final String QUEUE_DEPTH = "embedserve.queue.depth";
    public static final String QUEUE_DROPPED = "embedserve.queue.dropped";
    public static final String MODEL_LOAD = "embedserve.model.load.seconds";
    /** 1 while the inference worker runs, 0 once it died (Prometheus: embedserve_inference_worker_up). */
    public static final String WORKER_UP = "embedserve.inference.worker.up";
    /** Info gauge: 1, tagged with the DTYPE the model computes in (vectors differ between dtypes). */
    public static final String MODEL_DTYPE = "embedserve.model.dtype";
    /**
     * The process's resident memory (VmRSS), heap and native alike (Prometheus:
     * embedserve_process_resident_memory_bytes): PyTorch's weights and activations live outside the
     * heap, so the JVM's own memory meters miss most of what the container's limit counts.
     */
    public static final String RESIDENT_MEMORY = "embedserve.process.resident.memory";
    /**
     * The tag of the per-model meters (requests' timings and sizes, batches, queue, workers): which of
     * the process's models they belong to, {@value #MODEL_EMBEDDING} or {@value #MODEL_CROSS_ENCODER}.
     */
    public static final String MODEL_TAG = "model";

    // The embedding cache's meters, registered by io.embedserve.cache.CacheMetrics when it is on.
    public static final String CACHE_HITS = "embedserve.cache.hits";
    public static final String CACHE_MISSES = "embedserve.cache.misses";
    public static final String CACHE_ERRORS = "embedserve.cache.errors";
    public static final String CACHE_INVALID = "embedserve.cache.invalid";
    public static final String CACHE_WRITES = "embedserve.cache.writes";
    public static final String CACHE_WRITES_DROPPED = "embedserve.cache.writes.dropped";
    public static final String CACHE_EXPIRED = "embedserve.cache.expired";
    public static final String CACHE_LOOKUP = "embedserve.cache.lookup";
    public static final String CACHE_DEGRADED = "embedserve.cache.degraded";
    public static final String CACHE_WRITE_QUEUE = "embedserve.cache.write.queue";

    /**
     * The API paths whose POST requests are counted, with their route tag. TEI's aliases of its
     * predict route count as "embed", as TEI counts them under its embed method; its /embeddings
     * alias of the OpenAI route counts as "openai".
     */
    public static final Map<String, String> ROUTE_BY_PATH = Map.of(
            "/embed", "embed",
            "/", "embed",
            "/invocations", "embed",
            "/v1/embeddings", "openai",
            "/embeddings", "openai",
            "/similarity", "similarity",
            "/tokenize", "tokenize",
            "/decode", "decode",
            "/rerank", "rerank",
            "/predict", "predict");
    /** A route name not in {@link #ROUTE_BY_PATH} is counted as this one. */
    private static final String OTHER_ROUTE = "other";

    /** The {@code model} tag of the meters that belong to one model: its requests, batches and queue. */
    public static final String MODEL_EMBEDDING = "embedding";
    public static final String MODEL_CROSS_ENCODER = "cross-encoder";

    private final Map<String, Counter> successes = new ConcurrentHashMap<>();
    private final Map<String, Map<ErrorKind, Counter>> failures = new ConcurrentHashMap<>();
    private final ModelMeters embedding;
    private final ModelMeters crossEncoder;
    private final AtomicLong modelLoadMillis = new AtomicLong();

    /** @param dtype the DTYPE setting's name (float32, bfloat16, int8), exported as a tag */
    public EmbedServeMetrics(MeterRegistry registry, String dtype) {
        List<String> routes = new ArrayList<>(new java.util.LinkedHashSet<>(ROUTE_BY_PATH.values()));
        routes.add(OTHER_ROUTE);
        for (String route : routes) {
            successes.put(route, requestCounter(registry, route, "success", "none"));
            Map<ErrorKind, Counter> byKind = new EnumMap<>(ErrorKind.class);
            for (ErrorKind kind : ErrorKind.values()) {
                byKind.put(kind, requestCounter(registry, route, "error", kind.name().toLowerCase()));
            }
            failures.put(route, byKind);
        }
        embedding = new ModelMeters(registry, MODEL_EMBEDDING);
        crossEncoder = new ModelMeters(registry, MODEL_CROSS_ENCODER);
        Gauge.builder(MODEL_LOAD, modelLoadMillis, ms -> ms.get() / 1000.0)
                .description("Seconds the models took to load and warm up (0 until loaded)")
                .baseUnit("seconds").register(registry);
        Gauge.builder(MODEL_DTYPE, () -> 1).tag("dtype", dtype)
                .description("The precision the encoder's dense layers compute in (DTYPE)").register(registry);
        Gauge.builder(RESIDENT_MEMORY, ResidentMemory::bytes).baseUnit("bytes")
                .description("Resident memory of the process (VmRSS): Java heap, PyTorch's weights and activations")
                .register(registry);
    }

    private static Counter requestCounter(MeterRegistry registry, String route, String outcome, String kind) {
        return Counter.builder(REQUESTS).description("Requests by route, outcome and error kind")
                .tag("route", route).tag("outcome", outcome).tag("error_kind", kind).register(registry);
    }

    public void requestSucceeded(String route) {
        successes.getOrDefault(route, successes.get(OTHER_ROUTE)).increment();
    }

    public void requestFailed(String route, ErrorKind kind) {
        failures.getOrDefault(route, failures.get(OTHER_ROUTE)).get(kind).increment();
    }

    /** Records one answered embedding request. */
    public void embedded(int inputs, Embeddings result, long totalNanos) {
        embedding.answered(inputs, result.promptTokens(), result.timings(), totalNanos);
    }

    /** Records one answered /rerank or /predict request. */
    public void scored(int inputs, Scores result, long totalNanos) {
        crossEncoder.answered(inputs, result.promptTokens(), result.timings(), totalNanos);
    }

    public void modelLoaded(Duration took) {
        modelLoadMillis.set(took.toMillis());
    }

    /** What the cross-encoder's batch queue reports to; this object itself listens to the embedding model's. */
    public BatchListener crossEncoderQueue() {
        return crossEncoder;
    }

    @Override
    public void batchCompleted(int inputs, long paddedTokens, long inferenceNanos) {
        embedding.batchCompleted(inputs, paddedTokens, inferenceNanos);
    }

    @Override
    public void queueDepth(int waitingInputs) {
        embedding.queueDepth(waitingInputs);
    }

    @Override
    public void inputsDropped(int inputs) {
        embedding.inputsDropped(inputs);
    }

    @Override
    public void workerRunning(boolean running) {
        embedding.workerRunning(running);
    }
}
