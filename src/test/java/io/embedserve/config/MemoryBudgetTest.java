package io.embedserve.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.ModelLoadException;
import io.embedserve.inference.encode.ComputeDtype;
import io.embedserve.model.EncoderConfig;
import io.embedserve.model.ModelFamily;
import io.embedserve.testsupport.TinyEncoderModel;
import io.embedserve.testsupport.TinyHubModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up memory check: its estimate against the checkpoint and measured peaks, and the refusal. */
class MemoryBudgetTest {

    static final long MIB = 1L << 20;

    /** paraphrase-multilingual-mpnet-base-v2's published config.json. */
    static final EncoderConfig DEFAULT_MODEL = new EncoderConfig(ModelFamily.XLM_ROBERTA, 250002, 768, 12, 12, 3072,
            "gelu", 1e-5, 514, 1, 1, 0);

    static final int MAX_SEQ_LENGTH = 128;

    @Test
    void countsEveryTensorTheEncoderTakesAsFloat32AndTheCopiesItComputesFrom(@TempDir Path dir) {
        TinyEncoderModel tiny = TinyEncoderModel.xlmRoberta(7);
        EncoderConfig config = EncoderConfig.read(tiny.writeTo(dir).resolve("config.json"));
        long taken = elements(tiny.shapes, name -> !name.startsWith("pooler."));
        long dense = elements(tiny.shapes, name -> name.startsWith("encoder.layer.") && !name.contains("LayerNorm"));
        long queryKeyValue = elements(tiny.shapes, name -> name.contains("attention.self."));

        // float32: only the fused query/key/value projection is a new tensor
        assertThat(MemoryBudget.weightBytes(config, ComputeDtype.FLOAT32)).isEqualTo(4 * taken + 4 * queryKeyValue);
        // bfloat16: every dense weight and bias again, in 2 bytes
        assertThat(MemoryBudget.weightBytes(config, ComputeDtype.BFLOAT16)).isEqualTo(4 * taken + 2 * dense);
    }

    @Test
    void everyWorkerMayRunALargestBatchAtOnce() {
        MemoryEstimate one = MemoryBudget.estimate(DEFAULT_MODEL, MAX_SEQ_LENGTH, BoundDefaults.serving(),
                ComputeDtype.FLOAT32, 1024 * MIB, 1);
        MemoryEstimate two = MemoryBudget.estimate(DEFAULT_MODEL, MAX_SEQ_LENGTH, BoundDefaults.serving(),
                ComputeDtype.FLOAT32, 1024 * MIB, 2);
        assertThat(two.activations()).isEqualTo(2 * one.activations());
        assertThat(two.total() - one.total()).isEqualTo(one.activations());
        assertThat(two.describe()).contains("2 workers' largest batches, 64 × 128 tokens");
    }

    @Test
    void countsMpnetsTensorsAndTheBiasItAddsToEveryAttentionMask(@TempDir Path dir) {
        TinyHubModel tiny = TinyHubModel.mpnet(7);
        EncoderConfig config = EncoderConfig.read(tiny.writeTo(dir, "").resolve("config.json"));
        long taken = elements(tiny.shapes, name -> !name.startsWith("pooler."));
        long queryKeyValue = elements(tiny.shapes, name -> name.matches("encoder\\.layer\\.\\d+\\.attention\\.attn\\.[qkv]\\..*"));
        assertThat(MemoryBudget.weightBytes(config, ComputeDtype.FLOAT32)).isEqualTo(4 * taken + 4 * queryKeyValue);

        EncoderConfig sameShapeBert = new EncoderConfig(ModelFamily.BERT, config.vocabSize(), config.hiddenSize(),
                config.numHiddenLayers(), config.numAttentionHeads(), config.intermediateSize(), "gelu", 1e-12,
                config.maxPositionEmbeddings(), 0, 0, 0);
        long biasMask = 8L * config.numAttentionHeads() * 128 * 128 * 4; // (B, heads, T, T) float32
        assertThat(MemoryBudget.activationBytes(config, 8, 128) - MemoryBudget.activationBytes(sameShapeBert, 8, 128))
                .isEqualTo(biasMask);
    }

    @Test
    void largestBatchIsCappedByInputsAndByTokens() {
        assertThat(MemoryBudget.largestBatchInputs(MAX_SEQ_LENGTH, BoundDefaults.serving())).isEqualTo(64);
        assertThat(MemoryBudget.largestBatchInputs(MAX_SEQ_LENGTH, serving(4096, 64))).isEqualTo(32);
        assertThat(MemoryBudget.largestBatchInputs(MAX_SEQ_LENGTH, serving(16384, 512))).isEqualTo(128);
        // The batch planner always takes one input, even one longer than the budget.
        assertThat(MemoryBudget.largestBatchInputs(MAX_SEQ_LENGTH, serving(100, 64))).isEqualTo(1);
    }

    @Test
    void refusesWhenTheWorstCaseExceedsTheLimitNamingBothNumbersAndTheFix() {
        MemoryEstimate estimate = MemoryBudget.estimate(DEFAULT_MODEL, MAX_SEQ_LENGTH, BoundDefaults.serving(),
                ComputeDtype.FLOAT32, 1024 * MIB, 1);
        long limit = estimate.total() - 300 * MIB;

        assertThatThrownBy(() -> MemoryBudget.require(estimate, limit, DEFAULT_MODEL))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(MemoryEstimate.mib(estimate.total()))
                .hasMessageContaining(MemoryEstimate.mib(limit))
                .hasMessageContaining("64 × 128 tokens")
                .hasMessageMatching("(?s).*Set MAX_BATCH_TOKENS to at most \\d+ \\(\\d+ inputs of 128 tokens\\).*")
                .hasMessageContaining("APP_MEM_LIMIT");
    }

    @Test
    void suggestsTheBatchThatFitsAndThatBatchFits() {
        MemoryEstimate estimate = MemoryBudget.estimate(DEFAULT_MODEL, MAX_SEQ_LENGTH, BoundDefaults.serving(),
                ComputeDtype.FLOAT32, 1024 * MIB, 1);
        long limit = estimate.total() - 300 * MIB;
        String message = refusal(estimate, limit);
        int tokens = Integer.parseInt(message.replaceAll("(?s).*MAX_BATCH_TOKENS to at most (\\d+).*", "$1"));

        MemoryEstimate smaller = MemoryBudget.estimate(DEFAULT_MODEL, MAX_SEQ_LENGTH, serving(tokens, 64),
                ComputeDtype.FLOAT32, 1024 * MIB, 1);
        MemoryBudget.require(smaller, limit, DEFAULT_MODEL);
        assertThat(tokens % MAX_SEQ_LENGTH).isZero();
        assertThatThrownBy(() -> MemoryBudget.require(MemoryBudget.estimate(DEFAULT_MODEL, MAX_SEQ_LENGTH,
                serving(tokens + MAX_SEQ_LENGTH, 64), ComputeDtype.FLOAT32, 1024 * MIB, 1), limit, DEFAULT_MODEL))
                .isInstanceOf(ModelLoadException.class);
    }

    @Test
    void asksForALargerLimitWhenNotEvenOneInputFits() {
        MemoryEstimate estimate = MemoryBudget.estimate(DEFAULT_MODEL, MAX_SEQ_LENGTH, BoundDefaults.serving(),
                ComputeDtype.FLOAT32, 1024 * MIB, 1);

        assertThat(refusal(estimate, 2048 * MIB))
                .contains("Even one input of 128 tokens does not fit")
                .contains("raise the container's memory limit")
                .doesNotContain("Set MAX_BATCH_TOKENS");
    }

    /**
     * The shipped stack must pass its own start-up check with room to spare: compose's default
     * APP_MEM_LIMIT (Kubernetes' limit equals it, KubernetesPodSecurityTest) and the image's heap
     * share of it, for the default model, DTYPE=float32 and the default batch limits.
     */
    @Test
    void shippedMemoryLimitFitsTheDefaultModelsWorstCaseWithTenPercentToSpare() throws Exception {
        String compose = Files.readString(Path.of("docker-compose.yml"));
        java.util.regex.Matcher limit = Pattern.compile("mem_limit: \\$\\{APP_MEM_LIMIT:-(\\d+)g}").matcher(compose);
        java.util.regex.Matcher share = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)")
                .matcher(Files.readString(Path.of("Dockerfile")));
        assertThat(limit.find()).as("compose's app mem_limit").isTrue();
        assertThat(share.find()).as("the image's MaxRAMPercentage").isTrue();
        long bytes = Long.parseLong(limit.group(1)) << 30;
        long heap = bytes * Long.parseLong(share.group(1)) / 100;

        int cpus = Integer.parseInt(compose.replaceAll("(?s).*cpus: \\$\\{APP_CPUS:-(\\d+)}.*", "$1"));
        int composeWorkers = Integer.parseInt(compose.replaceAll("(?s).*INFERENCE_WORKERS: \\$\\{APP_CPUS:-(\\d+)}.*", "$1"));
        int workers = WorkerLayout.resolve(composeWorkers, 0, cpus).workers();
        assertThat(workers).as("compose runs one worker per CPU").isEqualTo(cpus);
        MemoryEstimate estimate = MemoryBudget.estimate(DEFAULT_MODEL, MAX_SEQ_LENGTH, BoundDefaults.serving(),
                ComputeDtype.FLOAT32, heap, workers);
        assertThat(estimate.total()).as(estimate.describe()).isLessThanOrEqualTo((long) (0.9 * bytes));
    }

    @Test
    void acceptsWhatFits() {
        MemoryEstimate estimate = MemoryBudget.estimate(DEFAULT_MODEL, MAX_SEQ_LENGTH, BoundDefaults.serving(),
                ComputeDtype.FLOAT32, 1024 * MIB, 1);
        MemoryBudget.require(estimate, estimate.total(), DEFAULT_MODEL);
    }

    private static String refusal(MemoryEstimate estimate, long limit) {
        try {
            MemoryBudget.require(estimate, limit, DEFAULT_MODEL);
        } catch (ModelLoadException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a refusal of " + estimate.describe() + " in " + MemoryEstimate.mib(limit));
    }

    private static ServingProperties serving(int maxBatchTokens, int maxBatchRequests) {
        return BoundDefaults.bind("embedserve.serving", ServingProperties.class,
                Map.of("max-batch-tokens", maxBatchTokens, "max-batch-requests", maxBatchRequests));
    }

    private static long elements(Map<String, long[]> shapes, java.util.function.Predicate<String> which) {
        return shapes.entrySet().stream().filter(e -> which.test(e.getKey()))
                .mapToLong(e -> Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b)).sum();
    }

    /** BAAI/bge-reranker-base's published config.json: the XLM-R base encoder, 512 tokens per pair. */
    static final EncoderConfig BGE_RERANKER_BASE = new EncoderConfig(ModelFamily.XLM_ROBERTA, 250002, 768, 12, 12, 3072,
            "gelu", 1e-5, 514, 1, 1, 0);

    @Test
    void aRerankerAddsItsWeightsAndItsOwnWorkersLargestBatchesButNoSecondHeapOrRuntime() {
        MemoryEstimate alone = MemoryBudget.estimate(DEFAULT_MODEL, MAX_SEQ_LENGTH, BoundDefaults.serving(),
                ComputeDtype.FLOAT32, 1024 * MIB, 2);
        MemoryEstimate both = MemoryBudget.withReranker(alone, BGE_RERANKER_BASE, 512, BoundDefaults.serving(),
                ComputeDtype.FLOAT32);
        // 16384 batch tokens / 512 per pair
        long rerankBatches = 2 * MemoryBudget.activationBytes(BGE_RERANKER_BASE, 32, 512);
        long rerankWeights = MemoryBudget.weightBytes(BGE_RERANKER_BASE, ComputeDtype.FLOAT32);
        assertThat(both.total() - alone.total()).isEqualTo(rerankWeights + rerankBatches);
        assertThat(both.heap()).isEqualTo(alone.heap());
        assertThat(both.describe()).contains("2 workers' largest batches, 64 × 128 tokens")
                .contains("+ reranker weights " + MemoryEstimate.mib(rerankWeights)
                        + " + 2 workers' largest batches, 32 × 512 tokens, " + MemoryEstimate.mib(rerankBatches));
    }

    @Test
    void aRerankerThatDoesNotFitBesideTheModelStopsTheStart() {
        MemoryEstimate alone = MemoryBudget.estimate(DEFAULT_MODEL, MAX_SEQ_LENGTH, BoundDefaults.serving(),
                ComputeDtype.FLOAT32, 1024 * MIB, 1);
        MemoryEstimate both = MemoryBudget.withReranker(alone, BGE_RERANKER_BASE, 512, BoundDefaults.serving(),
                ComputeDtype.FLOAT32);
        long limit = alone.total() + MIB;
        MemoryBudget.require(alone, limit, DEFAULT_MODEL);
        assertThatThrownBy(() -> MemoryBudget.require(both, limit, DEFAULT_MODEL))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("reranker weights");
    }
}
