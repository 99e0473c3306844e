package io.embedserve.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reference must be right before anything is compared with it: here it is checked against
 * LangChain4j's own pipeline for the same ONNX file (its tokenizer call, pooling and
 * normalisation), and against itself across batching.
 */
class OnnxReferenceTest {

    private static final List<String> SENTENCES = List.of(
            "The quick brown fox jumps over the lazy dog.",
            "Hello world",
            "EmbedServe turns text into sentence embeddings, like TEI does.",
            "Café crème brûlée — naïve façade, 42 times!",
            "a");

    private static OnnxReference reference;
    private static HuggingFaceTokenizer tokenizer;

    @BeforeAll
    static void open() throws IOException {
        System.setProperty("ai.djl.offline", "true");
        reference = OnnxReference.miniLm();
        tokenizer = HuggingFaceTokenizer.newInstance(MiniLmResources.tokenizerJson());
    }

    @AfterAll
    static void close() {
        reference.close();
        tokenizer.close();
    }

    @Test
    void takesTheThreeBertInputsAndReturnsTheLastHiddenState() {
        assertThat(reference.inputNames()).containsExactlyInAnyOrder(
                OnnxReference.INPUT_IDS, OnnxReference.ATTENTION_MASK, OnnxReference.TOKEN_TYPE_IDS);
        assertThat(reference.outputNames()).containsExactly(OnnxReference.LAST_HIDDEN_STATE);

        long[] ids = tokenIds("Hello world"); // [CLS] hello world [SEP]
        assertThat(ids).containsExactly(101, 7592, 2088, 102);
        float[][] hidden = reference.lastHiddenState(ids); // (T, H)
        assertThat(hidden.length).isEqualTo(4);
        assertThat(hidden[0]).hasSize(MiniLmFixture.HIDDEN_SIZE);
    }

    @Test
    void meanPooledNormalisedOutputMatchesLangChain4jEmbeddings() {
        AllMiniLmL6V2EmbeddingModel langChain4j = new AllMiniLmL6V2EmbeddingModel();
        for (String sentence : SENTENCES) {
            float[] expected = langChain4j.embed(sentence).content().vector();
            float[] actual = reference.embed(tokenIds(sentence));
            // Same ONNX file and runtime underneath, so only pooling arithmetic differs (~1e-7 seen)
            assertThat(ReferencePooling.cosine(actual, expected)).as(sentence).isGreaterThanOrEqualTo(0.999999);
            assertThat(ReferencePooling.maxAbsDifference(actual, expected)).as(sentence).isLessThan(1e-5);
        }
    }

    @Test
    void paddedBatchGivesTheSameEmbeddingsAsOneSentenceAtATime() {
        long[][] ids = SENTENCES.stream().map(this::tokenIds).toArray(long[][]::new);
        float[][] batched = reference.embedBatch(ids);
        for (int i = 0; i < ids.length; i++) {
            assertThat(ReferencePooling.maxAbsDifference(batched[i], reference.embed(ids[i])))
                    .as(SENTENCES.get(i)).isLessThan(1e-5);
        }
    }

    @Test
    void embeddingsHaveUnitLengthAndMeanPoolingDoesNot() {
        long[] ids = tokenIds(SENTENCES.get(0));
        float[] unit = reference.embed(ids);
        float[] pooled = reference.meanPooled(ids);
        assertThat(norm(unit)).isCloseTo(1.0, offset(1e-6));
        assertThat(norm(pooled)).isNotCloseTo(1.0, offset(0.01));
        assertThat(ReferencePooling.cosine(unit, pooled)).isCloseTo(1.0, offset(1e-9));
    }

    /**
     * The other two models' pooling, as LangChain4j's own pipelines for the same ONNX files apply it
     * (CLS for bge-small-en-v1.5, mean for e5-small-v2), agrees with the reference's. Short texts
     * only: LangChain4j splits texts past 510 tokens into chunks, which sentence-transformers does not.
     */
    @ParameterizedTest
    @EnumSource(value = RealModel.class, names = {"BGE_SMALL_EN_V15", "E5_SMALL_V2"})
    void pooledNormalisedOutputMatchesLangChain4jForTheOtherModels(RealModel model) throws IOException {
        dev.langchain4j.model.embedding.EmbeddingModel langChain4j = model == RealModel.BGE_SMALL_EN_V15
                ? new dev.langchain4j.model.embedding.onnx.bgesmallenv15.BgeSmallEnV15EmbeddingModel()
                : new dev.langchain4j.model.embedding.onnx.e5smallv2.E5SmallV2EmbeddingModel();
        try (OnnxReference other = OnnxReference.of(model);
                HuggingFaceTokenizer ownTokenizer = HuggingFaceTokenizer.newInstance(ModelResources.tokenizerJson(model))) {
            for (String sentence : SENTENCES) {
                Encoding encoding = ownTokenizer.encode(sentence);
                float[] expected = langChain4j.embed(sentence).content().vector();
                float[] actual = ReferencePooling.l2Normalize(other.pooled(encoding.getIds(), model.pooling()));
                assertThat(ReferencePooling.cosine(actual, expected)).as(sentence).isGreaterThanOrEqualTo(0.999999);
                assertThat(ReferencePooling.maxAbsDifference(actual, expected)).as(sentence).isLessThan(1e-5);
            }
        }
    }

    /** Token ids of one sentence, special tokens included, without the padding tokenizer.json asks for. */
    private long[] tokenIds(String text) {
        Encoding encoding = tokenizer.encode(text);
        long[] mask = encoding.getAttentionMask();
        return IntStream.range(0, mask.length).filter(i -> mask[i] == 1).mapToLong(i -> encoding.getIds()[i]).toArray();
    }

    private static double norm(float[] vector) {
        double sum = 0;
        for (float value : vector) {
            sum += (double) value * value;
        }
        return Math.sqrt(sum);
    }
}
