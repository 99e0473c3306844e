package io.embedserve.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.error.ErrorKind;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.EmbedServeException;
import io.embedserve.inference.Scores;
import io.embedserve.inference.TokenizedInput;
import io.embedserve.inference.TruncationDirection;
import io.embedserve.inference.batch.BatchLimits;
import io.embedserve.inference.batch.BatchQueue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class EmbedServeMetricsTest {

    @Test
    void everyMeterExistsAtZeroBeforeTheFirstRequest() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new EmbedServeMetrics(registry, "float32");
        for (String name : new String[] {EmbedServeMetrics.REQUEST_DURATION, EmbedServeMetrics.TOKENIZATION,
                EmbedServeMetrics.QUEUE, EmbedServeMetrics.INFERENCE, EmbedServeMetrics.BATCH_INFERENCE}) {
            assertThat(registry.get(name).timer().count()).as(name).isZero();
        }
        for (String name : new String[] {EmbedServeMetrics.REQUEST_TOKENS, EmbedServeMetrics.REQUEST_INPUTS,
                EmbedServeMetrics.BATCH_SIZE, EmbedServeMetrics.BATCH_TOKENS}) {
            assertThat(registry.get(name).summary().count()).as(name).isZero();
        }
        assertThat(registry.get(EmbedServeMetrics.QUEUE_DEPTH).gauge().value()).isZero();
        assertThat(registry.get(EmbedServeMetrics.QUEUE_DROPPED).counter().count()).isZero();
        assertThat(registry.get(EmbedServeMetrics.MODEL_LOAD).gauge().value()).isZero();
        assertThat(registry.get(EmbedServeMetrics.MODEL_DTYPE).tag("dtype", "float32").gauge().value()).isEqualTo(1);
        assertThat(registry.get(EmbedServeMetrics.REQUESTS).tag("route", "embed").tag("outcome", "error")
                .tag("error_kind", "overloaded").counter().count()).isZero();
    }

    @Test
    void residentMemoryGaugeFollowsTheKernelsCountOfResidentPages() throws Exception {
        java.nio.file.Path statm = java.nio.file.Path.of("/proc/self/statm");
        io.embedserve.testsupport.RequiredTool.require(java.nio.file.Files.isReadable(statm), "needs Linux's /proc");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new EmbedServeMetrics(registry, "float32");

        double gauge = registry.get(EmbedServeMetrics.RESIDENT_MEMORY).gauge().value();
        // statm's second field: resident pages (4 KiB on x86-64), a second view of the same count.
        long pages = Long.parseLong(java.nio.file.Files.readString(statm).trim().split(" ")[1]);
        assertThat(gauge).isCloseTo(pages * 4096.0, org.assertj.core.data.Offset.offset(64.0 * 1024 * 1024));
    }

    @Test
    void residentMemoryIsReadFromTheVmRssLineInKibibytes() {
        assertThat(ResidentMemory.parse(java.util.List.of("VmHWM:\t  2048 kB", "VmRSS:\t  1536 kB", "RssAnon:\t 1 kB")))
                .isEqualTo(1536 * 1024.0);
        assertThat(ResidentMemory.parse(java.util.List.of("Name:\tjava"))).isNaN();
    }

    @Test
    void theWorkerUpGaugeIsOneWhileTheQueuesWorkerRunsAndZeroOnceItDied() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EmbedServeMetrics metrics = new EmbedServeMetrics(registry, "float32");
        CompletableFuture<Throwable> died = new CompletableFuture<>();
        BatchQueue queue = new BatchQueue(sequences -> {
            throw new OutOfMemoryError("Java heap space");
        }, new BatchLimits(64, 8), 1, metrics, Duration.ofSeconds(30), died::complete,
                BatchQueue.DEFAULT_HANG_AFTER);
        try {
            assertThat(registry.get(EmbedServeMetrics.WORKER_UP).tag("model", "embedding").gauge().value()).isEqualTo(1);
            assertThatThrownBy(() -> queue.encode(List.of(new TokenizedInput(null, new long[] {1}, TruncationDirection.RIGHT, 8))))
                    .isInstanceOf(EmbedServeException.class);
            died.join();
            assertThat(registry.get(EmbedServeMetrics.WORKER_UP).tag("model", "embedding").gauge().value()).isZero();
            // Prometheus' name for it, as the brief's contract spells it
            assertThat(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) {
                {
                    new EmbedServeMetrics(this, "float32");
                }
            }.scrape()).contains("embedserve_inference_worker_up ");
        } finally {
            queue.close();
        }
    }

    @Test
    void recordsOutcomesByRouteAndKind() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EmbedServeMetrics metrics = new EmbedServeMetrics(registry, "float32");
        metrics.requestSucceeded("embed");
        metrics.requestFailed("openai", ErrorKind.VALIDATION);
        metrics.requestFailed("unknown-route", ErrorKind.EMPTY);
        metrics.batchCompleted(3, 30, 1_000_000);
        metrics.modelLoaded(Duration.ofMillis(1500));
        assertThat(registry.get(EmbedServeMetrics.REQUESTS).tag("route", "embed").tag("outcome", "success").counter().count()).isEqualTo(1);
        assertThat(registry.get(EmbedServeMetrics.REQUESTS).tag("route", "openai").tag("error_kind", "validation").counter().count()).isEqualTo(1);
        assertThat(registry.get(EmbedServeMetrics.REQUESTS).tag("route", "other").tag("error_kind", "empty").counter().count()).isEqualTo(1);
        assertThat(registry.get(EmbedServeMetrics.BATCH_TOKENS).tag("model", "embedding").summary().max()).isEqualTo(30);
        assertThat(registry.get(EmbedServeMetrics.MODEL_LOAD).gauge().value()).isEqualTo(1.5);
    }

    @Test
    void eachModelHasItsOwnRequestBatchAndQueueSeries() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        EmbedServeMetrics metrics = new EmbedServeMetrics(registry, "float32");
        metrics.batchCompleted(3, 30, 1_000_000);
        metrics.crossEncoderQueue().batchCompleted(5, 500, 2_000_000);
        metrics.crossEncoderQueue().queueDepth(7);
        metrics.scored(4, new Scores(List.of(new float[] {0.5f}), List.of("LABEL_0"), 40, null), 3_000_000);
        metrics.requestSucceeded("rerank");
        metrics.requestFailed("predict", ErrorKind.WRONG_MODEL_TYPE);

        assertThat(registry.get(EmbedServeMetrics.BATCH_SIZE).tag("model", "embedding").summary().max()).isEqualTo(3);
        assertThat(registry.get(EmbedServeMetrics.BATCH_SIZE).tag("model", "cross-encoder").summary().max()).isEqualTo(5);
        assertThat(registry.get(EmbedServeMetrics.QUEUE_DEPTH).tag("model", "cross-encoder").gauge().value()).isEqualTo(7);
        assertThat(registry.get(EmbedServeMetrics.QUEUE_DEPTH).tag("model", "embedding").gauge().value()).isZero();
        assertThat(registry.get(EmbedServeMetrics.REQUEST_INPUTS).tag("model", "cross-encoder").summary().max()).isEqualTo(4);
        assertThat(registry.get(EmbedServeMetrics.REQUEST_TOKENS).tag("model", "cross-encoder").summary().max()).isEqualTo(40);
        assertThat(registry.get(EmbedServeMetrics.REQUEST_DURATION).tag("model", "embedding").timer().count()).isZero();
        assertThat(registry.get(EmbedServeMetrics.REQUESTS).tag("route", "rerank").tag("outcome", "success").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(EmbedServeMetrics.REQUESTS).tag("route", "predict").tag("error_kind", "wrong_model_type")
                .counter().count()).isEqualTo(1);
    }
}
