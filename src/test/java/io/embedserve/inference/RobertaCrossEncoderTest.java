package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.inference.encode.ComputeDtype;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.CrossEncoderCheckpoint;
import io.embedserve.testsupport.Fidelity;
import io.embedserve.testsupport.NativePairTokenizer;
import io.embedserve.testsupport.ReferenceCrossEncoder;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RoBERTa-family cross-encoders as the Hub ships them, on tiny random encoders: BAAI/bge-reranker-base's
 * layout (XLMRobertaForSequenceClassification, roberta.* encoder, classifier.dense + tanh on &lt;s&gt;,
 * classifier.out_proj; pairs as {@code <s> q </s></s> t </s>}), including pairs cut to the model's max
 * length from either end, and a three-label NLI RoBERTa. Against the double-precision reference of the
 * encoder and RobertaClassificationHead.
 */
class RobertaCrossEncoderTest {

    static final String QUERY = "what is a cat";
    static final List<String> TEXTS = List.of("the cat sat on the mat", "a", "good day, world. the cat is good",
            "hello world");
    /** Longer than the tiny model's 38 positions allow: cut, longest text first. */
    static final String LONG = String.join(" ", Collections.nCopies(30, "the cat sat"));

    static final Fidelity FIDELITY = new Fidelity("RoBERTa / XLM-R cross-encoders (bge-reranker-base, NLI layouts)");

    @TempDir
    static Path dir;

    static CrossEncoderCheckpoint checkpoint;
    static CrossEncoderModel model;
    static ReferenceCrossEncoder reference;

    @BeforeAll
    static void load() {
        checkpoint = CrossEncoderCheckpoint.bgeRerankerXlmRoberta(9);
        checkpoint.writeTo(dir);
        model = CrossEncoderModel.load(new ModelSnapshot(dir, "tiny-bge-reranker", "local"), ComputeDtype.FLOAT32);
        reference = new ReferenceCrossEncoder(checkpoint);
    }

    @AfterAll
    static void close() {
        model.close();
        System.out.println(FIDELITY.report());
    }

    static TokenizedPair pair(String text, TruncationDirection direction) {
        return model.tokenize(QUERY, text, direction);
    }

    @Test
    void pairsFollowXlmRobertasTemplateWithoutTokenTypes() {
        // 40 positions, padding_idx 1: 38 tokens
        assertThat(model.maxLength()).isEqualTo(38);
        assertThat(model.labels()).containsExactly("LABEL_0");
        TokenizedPair pair = pair("a", TruncationDirection.RIGHT);
        long[] ids = pair.ids();
        assertThat(ids[0]).isZero(); // <s>
        assertThat(ids[ids.length - 1]).isEqualTo(2); // </s>
        assertThat(ids[ids.length - 3]).isEqualTo(2); // </s></s> between the texts
        assertThat(ids[ids.length - 4]).isEqualTo(2);
        assertThat(pair.typeIds()).containsOnly(0L);
    }

    @Test
    void longPairsAreCutAsTheTokenizersLibraryCutsThem() {
        for (TruncationDirection direction : TruncationDirection.values()) {
            String side = direction == TruncationDirection.RIGHT ? "Right" : "Left";
            try (NativePairTokenizer tokenizer = NativePairTokenizer.of(dir.resolve("tokenizer.json"), 38, side)) {
                TokenizedPair pair = pair(LONG, direction);
                assertThat(pair.truncated()).isTrue();
                assertThat(pair.length()).isEqualTo(38);
                assertThat(pair.ids()).containsExactly(tokenizer.encode(QUERY, LONG).ids());
            }
        }
    }

    @Test
    void singleAndBatchedPairsMatchTheReference() {
        List<TokenizedPair> pairs = new java.util.ArrayList<>(TEXTS.stream().map(t -> pair(t, TruncationDirection.RIGHT)).toList());
        pairs.add(pair(LONG, TruncationDirection.RIGHT));
        pairs.add(pair(LONG, TruncationDirection.LEFT));
        float[][] batched = model.scoreBatch(pairs);
        for (int i = 0; i < pairs.size(); i++) {
            double[] expected = reference.logits(pairs.get(i).ids(), pairs.get(i).typeIds());
            FIDELITY.assertSameScores("pair " + i + " alone", model.scoreBatch(List.of(pairs.get(i)))[0], expected);
            FIDELITY.assertSameScores("pair " + i + " batched", batched[i], expected);
        }
    }

    @Test
    void aThreeLabelRobertaClassifierGivesOneLogitPerLabel(@TempDir Path other) {
        CrossEncoderCheckpoint nli = CrossEncoderCheckpoint.nliRoberta(13);
        nli.writeTo(other);
        ReferenceCrossEncoder nliReference = new ReferenceCrossEncoder(nli);
        try (CrossEncoderModel classifier = CrossEncoderModel.load(new ModelSnapshot(other, "tiny-nli", "local"),
                ComputeDtype.FLOAT32)) {
            assertThat(classifier.labels()).containsExactly("contradiction", "entailment", "neutral");
            assertThat(classifier.config().activationFunction()).isEqualTo("torch.nn.modules.linear.Identity");
            List<TokenizedPair> pairs = TEXTS.stream()
                    .map(t -> classifier.tokenize("the cat is good", t, TruncationDirection.RIGHT)).toList();
            float[][] logits = classifier.score(pairs);
            for (int i = 0; i < pairs.size(); i++) {
                assertThat(logits[i]).hasSize(3);
                FIDELITY.assertSameScores("nli " + i, logits[i], nliReference.logits(pairs.get(i).ids(), pairs.get(i).typeIds()));
            }
        }
    }
}
