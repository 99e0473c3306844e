package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.EmptyInputException;
import io.embedserve.error.NotReadyException;
import io.embedserve.error.OverloadedException;
import io.embedserve.error.ValidationException;
import io.embedserve.error.WrongModelTypeException;
import io.embedserve.inference.encode.ComputeDtype;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.CrossEncoderCheckpoint;
import io.embedserve.testsupport.Fidelity;
import io.embedserve.testsupport.NativePairTokenizer;
import io.embedserve.testsupport.ReferenceCrossEncoder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cross-encoder pipeline without HTTP, on tiny random RoBERTa-family cross-encoders as the Hub
 * ships them (bge-reranker-base's layout, one label; an NLI classifier, three): scores are the
 * sigmoid or softmax of the double-precision reference's logits, for pairs the Hugging Face tokenizers
 * library laid out and cut itself.
 */
class ModelCrossEncoderServiceTest {

    static final String QUERY = "what is a cat";
    static final List<String> TEXTS = List.of("the cat sat on the mat", "hello world", "a good day");
    static final String LONG = String.join(" ", Collections.nCopies(30, "the cat sat"));
    static final int MAX_LENGTH = 38;

    static final Fidelity FIDELITY = new Fidelity("cross-encoder service (bge-reranker and NLI layouts)");

    @TempDir
    static Path dir;

    static CrossEncoderCheckpoint reranker;
    static CrossEncoderCheckpoint nli;
    static CrossEncoderHolder rerankerHolder = new CrossEncoderHolder();
    static CrossEncoderHolder nliHolder = new CrossEncoderHolder();

    @BeforeAll
    static void load() {
        reranker = CrossEncoderCheckpoint.bgeRerankerXlmRoberta(21);
        reranker.writeTo(dir.resolve("reranker"));
        rerankerHolder.set(CrossEncoderModel.load(new ModelSnapshot(dir.resolve("reranker"), "tiny-bge-reranker", "local"),
                ComputeDtype.FLOAT32));
        nli = CrossEncoderCheckpoint.nliRoberta(22);
        nli.writeTo(dir.resolve("nli"));
        nliHolder.set(CrossEncoderModel.load(new ModelSnapshot(dir.resolve("nli"), "tiny-nli", "local"), ComputeDtype.FLOAT32));
    }

    @AfterAll
    static void close() {
        rerankerHolder.close();
        nliHolder.close();
        System.out.println(FIDELITY.report());
    }

    static CrossEncoderService service(CrossEncoderHolder holder, Admission admission) {
        PairScorer direct = pairs -> new PooledVectors(holder.loaded().scoreBatch(pairs), 0, 0);
        return new ModelCrossEncoderService(holder, direct, admission, TokenizerSlots.unbounded(), 65_536);
    }

    static CrossEncoderService service(CrossEncoderHolder holder) {
        return service(holder, Admission.unlimited());
    }

    static NativePairTokenizer tokenizer(String model, String side) {
        return NativePairTokenizer.of(dir.resolve(model).resolve("tokenizer.json"), MAX_LENGTH, side);
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    void rerankScoresAreTheSigmoidOfTheReferenceLogitsInInputOrder() {
        Scores scores = service(rerankerHolder).rerank(QUERY, TEXTS, ScoreOptions.defaults());
        ReferenceCrossEncoder reference = new ReferenceCrossEncoder(reranker);
        try (NativePairTokenizer tokens = tokenizer("reranker", "Right")) {
            for (int i = 0; i < TEXTS.size(); i++) {
                NativePairTokenizer.Pair pair = tokens.encode(QUERY, TEXTS.get(i));
                double logit = reference.logits(pair.ids(), pair.typeIds())[0];
                FIDELITY.assertSameScores(TEXTS.get(i), scores.scores().get(i), new double[] {sigmoid(logit)});
            }
        }
        assertThat(scores.labels()).containsExactly("LABEL_0");
    }

    @Test
    void rawScoresAreTheLogitsAndLongPairsAreCutFromTheChosenEnd() {
        ReferenceCrossEncoder reference = new ReferenceCrossEncoder(reranker);
        for (TruncationDirection direction : TruncationDirection.values()) {
            Scores scores = service(rerankerHolder).rerank(QUERY, List.of(LONG, TEXTS.get(0)),
                    new ScoreOptions(true, true, direction));
            String side = direction == TruncationDirection.RIGHT ? "Right" : "Left";
            try (NativePairTokenizer tokens = tokenizer("reranker", side)) {
                NativePairTokenizer.Pair cut = tokens.encode(QUERY, LONG);
                assertThat(cut.ids()).hasSize(MAX_LENGTH);
                FIDELITY.assertSameScores("long, " + side, scores.scores().get(0), reference.logits(cut.ids(), cut.typeIds()));
                NativePairTokenizer.Pair whole = tokens.encode(QUERY, TEXTS.get(0));
                FIDELITY.assertSameScores("short, " + side, scores.scores().get(1),
                        reference.logits(whole.ids(), whole.typeIds()));
            }
        }
    }

    @Test
    void aPairOverTheMaxLengthIsRefusedWithTruncationOff() {
        try (NativePairTokenizer tokens = NativePairTokenizer.of(dir.resolve("reranker/tokenizer.json"), 10_000, "Right")) {
            int length = tokens.encode(QUERY, LONG).ids().length;
            assertThatThrownBy(() -> service(rerankerHolder).rerank(QUERY, List.of(TEXTS.get(0), LONG),
                    new ScoreOptions(false, false, TruncationDirection.RIGHT)))
                    .isInstanceOf(ValidationException.class)
                    .hasMessage("`inputs` must have less than " + MAX_LENGTH + " tokens. Given: " + length
                            + ". Set `truncate` to true to cut it.");
        }
    }

    @Test
    void predictGivesTheSoftmaxOverEveryLabelForTextsAndPairs() {
        List<CrossEncoderInput> inputs = List.of(new CrossEncoderInput.Text("the cat is good"),
                new CrossEncoderInput.Pair("the cat is good", "a cat sat on the mat"));
        Scores scores = service(nliHolder).predict(inputs, ScoreOptions.defaults());
        ReferenceCrossEncoder reference = new ReferenceCrossEncoder(nli);
        try (NativePairTokenizer tokens = tokenizer("nli", "Right")) {
            NativePairTokenizer.Pair single = tokens.encode("the cat is good");
            NativePairTokenizer.Pair pair = tokens.encode("the cat is good", "a cat sat on the mat");
            FIDELITY.assertSameScores("single", scores.scores().get(0), softmax(reference.logits(single.ids(), single.typeIds())));
            FIDELITY.assertSameScores("pair", scores.scores().get(1), softmax(reference.logits(pair.ids(), pair.typeIds())));
        }
        assertThat(scores.labels()).containsExactly("contradiction", "entailment", "neutral");
        Scores raw = service(nliHolder).predict(inputs.subList(0, 1), new ScoreOptions(true, true, TruncationDirection.RIGHT));
        try (NativePairTokenizer tokens = tokenizer("nli", "Right")) {
            NativePairTokenizer.Pair single = tokens.encode("the cat is good");
            FIDELITY.assertSameScores("single raw", raw.scores().get(0), reference.logits(single.ids(), single.typeIds()));
        }
    }

    static double[] softmax(double[] logits) {
        double sum = 0;
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = Math.exp(logits[i]);
            sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }

    @Test
    void aClassifierWithSeveralLabelsDoesNotRerank() {
        assertThatThrownBy(() -> service(nliHolder).rerank(QUERY, TEXTS, ScoreOptions.defaults()))
                .isInstanceOf(WrongModelTypeException.class)
                .hasMessage("model is not a re-ranker model: tiny-nli classifies into 3 labels"
                        + " [contradiction, entailment, neutral]; use /predict");
    }

    @Test
    void withoutACrossEncoderBothRoutesSayWhatTeiSays() {
        CrossEncoderHolder absent = new CrossEncoderHolder();
        absent.markAbsent("none here");
        CrossEncoderService service = service(absent);
        assertThatThrownBy(() -> service.rerank(QUERY, TEXTS, ScoreOptions.defaults()))
                .isInstanceOf(WrongModelTypeException.class)
                .hasMessageStartingWith("model is not a re-ranker model: this service runs no cross-encoder");
        assertThatThrownBy(() -> service.predict(List.of(new CrossEncoderInput.Text("a")), ScoreOptions.defaults()))
                .isInstanceOf(WrongModelTypeException.class)
                .hasMessageStartingWith("Model is not a classifier model: this service runs no cross-encoder");
        assertThat(service.isReady()).isTrue();
        assertThat(service.served()).isFalse();
    }

    @Test
    void beforeTheLoadEveryRouteIsNotReady() {
        CrossEncoderService service = service(new CrossEncoderHolder());
        assertThatThrownBy(() -> service.rerank(QUERY, TEXTS, ScoreOptions.defaults())).isInstanceOf(NotReadyException.class);
        assertThat(service.isReady()).isFalse();
        assertThat(service.served()).isTrue();
    }

    @Test
    void emptyTextsAndEmptyPairsAre400sAsInTei() {
        CrossEncoderService service = service(rerankerHolder);
        assertThatThrownBy(() -> service.rerank(QUERY, List.of(), ScoreOptions.defaults()))
                .isInstanceOf(EmptyInputException.class).hasMessage("`texts` cannot be empty");
        assertThatThrownBy(() -> service.rerank("", List.of("a", ""), ScoreOptions.defaults()))
                .isInstanceOf(EmptyInputException.class).hasMessage("`inputs` cannot be empty");
        // One empty side of a pair is still something to score.
        assertThat(service.rerank("", List.of("a"), ScoreOptions.defaults()).scores()).hasSize(1);
    }

    @Test
    void aRerankTakesOnePermitPerTextBeforeAnyWork() {
        Admission admission = new Admission(2, Duration.ofSeconds(10));
        CrossEncoderService service = service(rerankerHolder, admission);
        assertThatThrownBy(() -> service.rerank(QUERY, TEXTS, ScoreOptions.defaults()))
                .isInstanceOf(OverloadedException.class);
        assertThat(service.rerank(QUERY, TEXTS.subList(0, 2), ScoreOptions.defaults()).scores()).hasSize(2);
        assertThat(admission.inFlight()).isZero();
    }
}
