package io.embedserve.app;

import io.embedserve.testsupport.CrossEncoderCheckpoint;
import io.embedserve.testsupport.HubCache;
import io.embedserve.testsupport.ModelResources;
import io.embedserve.testsupport.NativePairTokenizer;
import io.embedserve.testsupport.ReferenceCrossEncoder;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application serving two models: all-MiniLM-L6-v2 (MODEL_PATH, as {@link RunningServiceTest})
 * and beside it a cross-encoder in bge-reranker-base's layout (XLMRobertaForSequenceClassification, one
 * label, a tiny random XLM-R body with 38 tokens per pair) found in a Hugging Face hub cache by
 * HF_HUB_CACHE, RERANK_MODEL_ID and RERANK_MODEL_REVISION, as the README says to start it. Subclasses
 * share one running service.
 */
abstract class RerankServiceTest extends RunningServiceTest {

    static final String RERANK_MODEL_ID = "BAAI/bge-reranker-base";
    /** The tiny body's 40 positions less XLM-R's padding offset. */
    static final int RERANK_MAX_LENGTH = 38;
    static final CrossEncoderCheckpoint RERANKER = CrossEncoderCheckpoint.bgeRerankerXlmRoberta(41);
    static final ReferenceCrossEncoder REFERENCE = new ReferenceCrossEncoder(RERANKER);

    private static Path files;
    private static Path hubCache;

    @DynamicPropertySource
    static void reranker(DynamicPropertyRegistry registry) {
        registry.add("HF_HUB_CACHE", () -> cache().toString());
        registry.add("RERANK_MODEL_ID", () -> RERANK_MODEL_ID);
        registry.add("RERANK_MODEL_REVISION", () -> HubCache.commitFor(RERANK_MODEL_ID));
    }

    static synchronized Path cache() {
        if (hubCache == null) {
            Path root = ModelResources.createTempDirectoryDeletedOnExit("embedserve-hub-reranker-");
            files = RERANKER.writeTo(root.resolve("files"));
            hubCache = root.resolve("hub");
            HubCache.write(hubCache, RERANK_MODEL_ID, HubCache.commitFor(RERANK_MODEL_ID), files);
        }
        return hubCache;
    }

    /**
     * The Hugging Face tokenizers library laying out and cutting pairs itself at the model's length,
     * from {@code side} ("Right" or "Left"): the reference for what the service must feed the model.
     */
    static NativePairTokenizer nativeTokenizer(int maxLength, String side) {
        cache();
        return NativePairTokenizer.of(files.resolve("tokenizer.json"), maxLength, side);
    }

    /** sigmoid of the reference's one logit for the pair as the library laid it out. */
    static double expectedScore(NativePairTokenizer.Pair pair) {
        return 1 / (1 + Math.exp(-REFERENCE.logits(pair.ids(), pair.typeIds())[0]));
    }
}
