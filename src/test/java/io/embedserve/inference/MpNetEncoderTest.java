package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.ModelLoadException;
import io.embedserve.model.ModelFamily;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.model.PoolingMode;
import io.embedserve.testsupport.Fidelity;
import io.embedserve.testsupport.ReferenceEncoder;
import io.embedserve.testsupport.SentenceTransformerFiles;
import io.embedserve.testsupport.TinyHubModel;
import io.embedserve.testsupport.Vectors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MPNet as sentence-transformers' all-mpnet-base-v2 and multi-qa-mpnet-base-dot-v1 ship it (MPNet's
 * config.json, tensor names and tokenizer, mean pooling + Normalize, resp. CLS pooling), at a small
 * width with random weights, against the double-precision reference written from modeling_mpnet.py:
 * alone and in mixed-length batches, with a text long enough that its token distances reach every
 * relative-position bucket, the log-spaced ones and the last one beyond 128 included.
 */
class MpNetEncoderTest {

    static final List<String> SENTENCES = List.of(
            "hello world",
            "a",
            "the cat sat on the mat",
            "what is the capital of france? paris is the capital city of france.",
            "xyz 12345 qwerty");

    /** 170 words: distances up to 171 tokens, past max_distance 128. */
    static final String LONG_TEXT = String.join(" ", java.util.Collections.nCopies(34, "hello world the cat sat"));

    @TempDir
    static Path dir;

    static TinyHubModel tiny;
    static SentenceModel model;
    static ReferenceEncoder reference;
    static final Fidelity FIDELITY = new Fidelity("MPNet (all-mpnet-base-v2 / multi-qa-mpnet-base-dot-v1 layout)");

    @BeforeAll
    static void load() {
        tiny = TinyHubModel.mpnet(7);
        tiny.writeTo(dir, "");
        SentenceTransformerFiles.write(dir, "mean", TinyHubModel.HIDDEN, 384, false, true);
        model = SentenceModel.load(new ModelSnapshot(dir, "tiny-all-mpnet-base-v2", "local"), null);
        reference = new ReferenceEncoder(tiny);
    }

    @AfterAll
    static void close() {
        model.close();
        System.out.println(FIDELITY.report());
    }

    static long[] ids(String text) {
        return model.tokenizer().encode(text).ids();
    }

    @Test
    void readsTheAllMpnetPipeline() {
        assertThat(model.encoderConfig().family()).isEqualTo(ModelFamily.MPNET);
        assertThat(model.encoderConfig().typeVocabSize()).isZero();
        assertThat(model.pipeline().pooling()).isEqualTo(PoolingMode.MEAN);
        assertThat(model.pipeline().normalize()).isTrue();
        assertThat(model.pipeline().maxSeqLength()).isEqualTo(384);
        long[] ids = ids("hello world");
        assertThat(ids).containsExactly(0, ids[1], ids[2], 2); // <s> hello world </s>
    }

    @Test
    void singleTextsMatchTheReference() {
        List<String> texts = new ArrayList<>(SENTENCES);
        texts.add(LONG_TEXT);
        for (String text : texts) {
            long[] ids = ids(text);
            float[] actual = model.encodeBatch(List.of(ids))[0];
            FIDELITY.assertSameVector(text, actual, ReferenceEncoder.meanPool(reference.lastHiddenState(ids)));
        }
        assertThat(ids(LONG_TEXT).length).isGreaterThan(129);
    }

    @Test
    void mixedLengthBatchMatchesTheReference() {
        List<String> texts = new ArrayList<>(SENTENCES);
        texts.add(2, LONG_TEXT);
        List<long[]> batch = texts.stream().map(MpNetEncoderTest::ids).toList();
        float[][] actual = model.encodeBatch(batch);
        for (int i = 0; i < batch.size(); i++) {
            FIDELITY.assertSameVector(texts.get(i) + " batched", actual[i],
                    ReferenceEncoder.meanPool(reference.lastHiddenState(batch.get(i))));
        }
    }

    @Test
    void theRelativePositionBiasChangesTheVectors() {
        // Without the bias table the reference misses by far more than the tolerance: the bias is used.
        TinyHubModel withoutBias = TinyHubModel.mpnet(7);
        java.util.Arrays.fill(withoutBias.weights.get("encoder.relative_attention_bias.weight"), 0f);
        long[] ids = ids(SENTENCES.get(3));
        double[] unbiased = ReferenceEncoder.meanPool(new ReferenceEncoder(withoutBias).lastHiddenState(ids));
        assertThat(Vectors.cosine(model.encodeBatch(List.of(ids))[0], unbiased)).isLessThan(0.999);
    }

    @Test
    void multiQaMpnetDotUsesClsPoolingWithoutNormalize(@TempDir Path other) {
        tiny.writeTo(other, "");
        SentenceTransformerFiles.write(other, "cls", TinyHubModel.HIDDEN, 512, false, false);
        try (SentenceModel dot = SentenceModel.load(new ModelSnapshot(other, "tiny-multi-qa-mpnet", "local"), null)) {
            assertThat(dot.pipeline().pooling()).isEqualTo(PoolingMode.CLS);
            assertThat(dot.pipeline().normalize()).isFalse();
            // 514 positions, padding_idx 1: 512 tokens fit
            assertThat(dot.pipeline().maxSeqLength()).isEqualTo(512);
            List<long[]> batch = List.of(ids(SENTENCES.get(0)), ids(SENTENCES.get(3)), ids(SENTENCES.get(1)));
            float[][] actual = dot.encodeBatch(batch);
            for (int i = 0; i < batch.size(); i++) {
                FIDELITY.assertSameVector("cls " + i, actual[i],
                        ReferenceEncoder.pool("cls", reference.lastHiddenState(batch.get(i))));
            }
        }
    }

    @Test
    void aMpnetPrefixedCheckpointLoads(@TempDir Path other) {
        tiny.writeTo(other, "mpnet.");
        SentenceTransformerFiles.write(other, "mean", TinyHubModel.HIDDEN, 384, false, true);
        try (SentenceModel prefixed = SentenceModel.load(new ModelSnapshot(other, "tiny", "local"), null)) {
            long[] ids = ids(SENTENCES.get(2));
            FIDELITY.assertSameVector("mpnet.-prefixed", prefixed.encodeBatch(List.of(ids))[0],
                    ReferenceEncoder.meanPool(reference.lastHiddenState(ids)));
        }
    }

    @Test
    void aCheckpointWithoutTheRelativeAttentionBiasIsRefusedNamingIt(@TempDir Path other) {
        TinyHubModel incomplete = TinyHubModel.mpnet(7);
        incomplete.weights.remove("encoder.relative_attention_bias.weight");
        incomplete.writeTo(other, "");
        SentenceTransformerFiles.write(other, "mean", TinyHubModel.HIDDEN, 384, false, true);
        assertThatThrownBy(() -> SentenceModel.load(new ModelSnapshot(other, "tiny", "local"), null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("missing tensor encoder.relative_attention_bias.weight")
                .hasMessageContaining("[32, 4]");
    }

    @Test
    void aBucketCountOtherThanTransformersOwnIsRefused(@TempDir Path other) throws IOException {
        tiny.writeTo(other, "");
        SentenceTransformerFiles.write(other, "mean", TinyHubModel.HIDDEN, 384, false, true);
        Path config = other.resolve("config.json");
        Files.writeString(config, Files.readString(config)
                .replace("\"relative_attention_num_buckets\": 32", "\"relative_attention_num_buckets\": 64"));
        assertThatThrownBy(() -> SentenceModel.load(new ModelSnapshot(other, "tiny", "local"), null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("relative_attention_num_buckets 64");
    }
}
