package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.model.ModelFamily;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.Fidelity;
import io.embedserve.testsupport.ReferenceEncoder;
import io.embedserve.testsupport.SentenceTransformerFiles;
import io.embedserve.testsupport.TinyHubModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DistilBERT as distiluse-base-multilingual-cased-v2 ships its encoder (DistilBertConfig's keys,
 * transformer.layer.N names, a cased BERT tokenizer, mean pooling), at a small width with random
 * weights, against the double-precision reference written from modeling_distilbert.py, alone and in
 * mixed-length batches.
 */
class DistilBertEncoderTest {

    static final List<String> SENTENCES = List.of(
            "Hello world", "a", "The cat sat on the mat.", "What is the capital of France? Paris is.",
            "Hello hello hello world world the mat mat sat on a good day is good 12345 and more words here");

    static final Fidelity FIDELITY = new Fidelity("DistilBERT encoder (distiluse-base-multilingual-cased-v2 layout)");

    @TempDir
    static Path dir;

    static TinyHubModel tiny;
    static SentenceModel model;
    static ReferenceEncoder reference;

    @BeforeAll
    static void load() {
        tiny = TinyHubModel.distilbert(11);
        tiny.writeTo(dir, "");
        SentenceTransformerFiles.write(dir, "mean", TinyHubModel.HIDDEN, 128, false, false);
        model = SentenceModel.load(new ModelSnapshot(dir, "tiny-distilbert", "local"), null);
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
    void readsDistilBertsConfigAndCasedTokenizer() {
        assertThat(model.encoderConfig().family()).isEqualTo(ModelFamily.DISTILBERT);
        assertThat(model.encoderConfig().hiddenSize()).isEqualTo(TinyHubModel.HIDDEN);
        assertThat(model.encoderConfig().intermediateSize()).isEqualTo(TinyHubModel.INTERMEDIATE);
        assertThat(model.pipeline().maxSeqLength()).isEqualTo(128);
        long[] ids = ids("Hello");
        assertThat(ids[0]).isEqualTo(101); // [CLS]
        assertThat(ids[ids.length - 1]).isEqualTo(102); // [SEP]
        assertThat(ids).isNotEqualTo(ids("hello")); // cased
    }

    @Test
    void singleTextsMatchTheReference() {
        for (String text : SENTENCES) {
            long[] ids = ids(text);
            FIDELITY.assertSameVector(text, model.encodeBatch(List.of(ids))[0],
                    ReferenceEncoder.meanPool(reference.lastHiddenState(ids)));
        }
    }

    @Test
    void mixedLengthBatchMatchesTheReference() {
        List<long[]> batch = SENTENCES.stream().map(DistilBertEncoderTest::ids).toList();
        float[][] actual = model.encodeBatch(batch);
        for (int i = 0; i < batch.size(); i++) {
            FIDELITY.assertSameVector(SENTENCES.get(i) + " batched", actual[i],
                    ReferenceEncoder.meanPool(reference.lastHiddenState(batch.get(i))));
        }
    }

    @Test
    void aDistilbertPrefixedCheckpointLoads(@TempDir Path other) {
        tiny.writeTo(other, "distilbert.");
        SentenceTransformerFiles.write(other, "mean", TinyHubModel.HIDDEN, 128, false, false);
        try (SentenceModel prefixed = SentenceModel.load(new ModelSnapshot(other, "tiny", "local"), null)) {
            long[] ids = ids(SENTENCES.get(2));
            FIDELITY.assertSameVector("distilbert.-prefixed", prefixed.encodeBatch(List.of(ids))[0],
                    ReferenceEncoder.meanPool(reference.lastHiddenState(ids)));
        }
    }
}
