package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.ModelLoadException;
import io.embedserve.inference.encode.ComputeDtype;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.CrossEncoderCheckpoint;
import io.embedserve.testsupport.Fidelity;
import io.embedserve.testsupport.NativePairTokenizer;
import io.embedserve.testsupport.ReferenceCrossEncoder;
import io.embedserve.testsupport.Vectors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A BERT cross-encoder as cross-encoder/ms-marco-MiniLM-L-6-v2 ships (BertForSequenceClassification,
 * one label, bert.* encoder, bert.pooler.dense, classifier), its encoder all-MiniLM-L6-v2's real
 * weights and its head random: pairs tokenized with the tokenizer's own pair template and token
 * types, scored alone and in mixed-length batches, against the double-precision reference of
 * BertModel + BertPooler + classifier.
 */
class BertCrossEncoderTest {

    static final String QUERY = "what is the capital of france?";
    static final List<String> TEXTS = List.of(
            "Paris is the capital and most populous city of France.",
            "The quick brown fox jumps over the lazy dog.",
            "France",
            "Berlin is the capital of Germany; Paris, the capital of France, lies on the Seine and has been the"
                    + " country's capital since the tenth century, apart from short periods.",
            "");

    static final Fidelity FIDELITY = new Fidelity("BERT cross-encoder (ms-marco-MiniLM-L-6-v2 layout, real MiniLM body)");

    @TempDir
    static Path dir;

    static CrossEncoderCheckpoint checkpoint;
    static CrossEncoderModel model;
    static ReferenceCrossEncoder reference;

    @BeforeAll
    static void load() {
        checkpoint = CrossEncoderCheckpoint.msMarcoMiniLm(5);
        checkpoint.writeTo(dir);
        model = CrossEncoderModel.load(new ModelSnapshot(dir, "tiny-ms-marco", "local"), ComputeDtype.FLOAT32);
        reference = new ReferenceCrossEncoder(checkpoint);
    }

    @AfterAll
    static void close() {
        model.close();
        System.out.println(FIDELITY.report());
    }

    static TokenizedPair pair(String text) {
        return model.tokenize(QUERY, text, TruncationDirection.RIGHT);
    }

    @Test
    void readsTheRerankersLabelsAndLimit() {
        assertThat(model.labels()).containsExactly("LABEL_0");
        assertThat(model.maxLength()).isEqualTo(512);
        assertThat(model.config().activationFunction()).isEqualTo("torch.nn.modules.activation.Sigmoid");
    }

    @Test
    void pairsFollowTheTokenizersTemplateWithTokenTypes() {
        try (NativePairTokenizer tokenizer = NativePairTokenizer.of(dir.resolve("tokenizer.json"), 512, "Right")) {
            for (String text : TEXTS) {
                TokenizedPair pair = pair(text);
                NativePairTokenizer.Pair expected = tokenizer.encode(QUERY, text);
                assertThat(pair.ids()).containsExactly(expected.ids());
                assertThat(pair.typeIds()).containsExactly(expected.typeIds());
                assertThat(pair.truncated()).isFalse();
            }
        }
        TokenizedPair pair = pair("France");
        // [CLS] what is the capital of france ? [SEP] france [SEP]
        assertThat(pair.ids()[0]).isEqualTo(101);
        assertThat(pair.ids()[pair.length() - 1]).isEqualTo(102);
        assertThat(pair.typeIds()).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1);
    }

    @Test
    void singlePairsMatchTheReference() {
        for (String text : TEXTS) {
            TokenizedPair pair = pair(text);
            FIDELITY.assertSameScores(text, model.scoreBatch(List.of(pair))[0], reference.logits(pair.ids(), pair.typeIds()));
        }
    }

    @Test
    void mixedLengthBatchMatchesTheReference() {
        List<TokenizedPair> pairs = TEXTS.stream().map(BertCrossEncoderTest::pair).toList();
        float[][] logits = model.scoreBatch(pairs);
        for (int i = 0; i < pairs.size(); i++) {
            FIDELITY.assertSameScores(TEXTS.get(i) + " batched", logits[i],
                    reference.logits(pairs.get(i).ids(), pairs.get(i).typeIds()));
        }
    }

    @Test
    void scoreKeepsInputOrderAcrossLengthSorting() {
        List<TokenizedPair> pairs = new ArrayList<>();
        for (String text : TEXTS) {
            pairs.add(pair(text));
        }
        float[][] logits = model.score(pairs);
        for (int i = 0; i < pairs.size(); i++) {
            assertThat(logits[i]).containsExactly(model.scoreBatch(List.of(pairs.get(i)))[0],
                    org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void theSecondTextsTokenTypeIsUsed() {
        // Scored as if every token were of type 0, the reference misses by far more than the tolerance.
        TokenizedPair pair = pair(TEXTS.get(0));
        double[] typeZero = reference.logits(pair.ids(), new long[pair.length()]);
        assertThat(Vectors.maxAbsDifference(model.scoreBatch(List.of(pair))[0], typeZero)).isGreaterThan(1e-3);
    }

    @Test
    void theHeadIsProvenByTheSelfCheck() {
        // bert.pooler.dense shares its 384 -> 384 shape, and so its proof, with the six attention outputs
        assertThat(model.denseChecks()).anySatisfy(check -> {
            assertThat(check.inFeatures()).isEqualTo(384);
            assertThat(check.outFeatures()).isEqualTo(384);
            assertThat(check.layers()).isEqualTo(6 + 1);
        });
        assertThat(model.denseChecks()).anySatisfy(check -> {
            assertThat(check.kind()).isEqualTo(5); // classifier
            assertThat(check.outFeatures()).isEqualTo(1);
        });
        assertThat(model.denseChecks()).allSatisfy(check -> assertThat(check.worstError()).isLessThanOrEqualTo(1e-5));
    }

    @Test
    void aCheckpointWithoutItsClassifierIsRefusedNamingIt(@TempDir Path other) {
        CrossEncoderCheckpoint incomplete = CrossEncoderCheckpoint.msMarcoMiniLm(5);
        incomplete.head.remove("classifier.bias");
        incomplete.writeTo(other);
        assertThatThrownBy(() -> CrossEncoderModel.load(new ModelSnapshot(other, "tiny", "local"), ComputeDtype.FLOAT32))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("missing tensor classifier.bias").hasMessageContaining("[1]");
    }
}
