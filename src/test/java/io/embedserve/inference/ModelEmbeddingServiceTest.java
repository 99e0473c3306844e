package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.ValidationException;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.TinyEncoderModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request options on a tiny model: prompts, dimensions, normalisation, truncation, ids. */
class ModelEmbeddingServiceTest {

    @TempDir
    static Path dir;

    static ModelHolder holder;
    static EmbeddingService service;

    @BeforeAll
    static void load() throws Exception {
        TinyEncoderModel.xlmRoberta(7).writeTo(dir);
        Files.writeString(dir.resolve("config_sentence_transformers.json"),
                "{\"prompts\": {\"query\": \"hello \"}, \"default_prompt_name\": null}");
        holder = new ModelHolder();
        SentenceModel model = SentenceModel.load(new ModelSnapshot(dir, "tiny", "local"), null);
        holder.set(model);
        service = new ModelEmbeddingService(holder, model);
    }

    @AfterAll
    static void close() {
        holder.close();
    }

    static float[] embed(EmbedInput input, EmbedOptions options) {
        return service.embed(List.of(input), options).vectors().get(0);
    }

    static EmbedOptions options(boolean normalize, Integer dimensions, String prompt) {
        return new EmbedOptions(normalize, true, TruncationDirection.RIGHT, dimensions, prompt);
    }

    @Test
    void promptNamePrependsTheModelsPrompt() {
        float[] withPrompt = embed(EmbedInput.text("world"), options(false, null, "query"));
        float[] spelledOut = embed(EmbedInput.text("hello world"), options(false, null, null));
        assertThat(withPrompt).containsExactly(spelledOut);
        assertThatThrownBy(() -> embed(EmbedInput.text("world"), options(false, null, "passage")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("query");
    }

    /** DEFAULT_PROMPT_NAME and DEFAULT_PROMPT, as TEI has them: used when a request names no prompt. */
    @Test
    void aDefaultPromptGoesBeforeInputsWhoseRequestNamesNone() {
        SentenceModel model = holder.require();
        float[] spelledOut = embed(EmbedInput.text("hello world"), options(false, null, null));
        EmbeddingService byName = new ModelEmbeddingService(holder, model, Admission.unlimited(),
                TokenizerSlots.unbounded(), new RequestDefaults(RequestDefaults.DEFAULT_MAX_INPUT_CHARS, "query", null, null));
        EmbeddingService byText = new ModelEmbeddingService(holder, model, Admission.unlimited(),
                TokenizerSlots.unbounded(), new RequestDefaults(RequestDefaults.DEFAULT_MAX_INPUT_CHARS, null, "hello ", null));

        for (EmbeddingService withDefault : List.of(byName, byText)) {
            float[] defaulted = withDefault.embed(List.of(EmbedInput.text("world")), options(false, null, null)).vectors().get(0);
            assertThat(defaulted).containsExactly(spelledOut);
        }
        float[] plain = embed(EmbedInput.text("world"), options(false, null, null));
        assertThat(plain).isNotEqualTo(spelledOut);
    }

    @Test
    void dimensionsTruncateThenNormalise() {
        float[] raw = embed(EmbedInput.text("the cat sat"), options(false, null, null));
        float[] cut = embed(EmbedInput.text("the cat sat"), options(true, 8, null));
        double norm = 0;
        for (int i = 0; i < 8; i++) {
            norm += (double) raw[i] * raw[i];
        }
        assertThat(cut).hasSize(8);
        for (int i = 0; i < 8; i++) {
            assertThat((double) cut[i]).isCloseTo(raw[i] / Math.sqrt(norm), org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    /** TEI's rule: "normalize": false returns the pooled vector as it is, Normalize module or not. */
    @Test
    void normalizeFalseReturnsTheRawPooledVectorEvenWhenTheModelEndsInNormalize(@TempDir Path other) {
        TinyEncoderModel.xlmRoberta(7).writeTo(other, "mean", true, 32, "", io.embedserve.testsupport.SafetensorsWriter.Dtype.F32);
        try (ModelHolder normalizing = new ModelHolder()) {
            SentenceModel model = SentenceModel.load(new ModelSnapshot(other, "tiny", "local"), null);
            normalizing.set(model);
            assertThat(model.pipeline().normalize()).isTrue();
            EmbeddingService withNormalize = new ModelEmbeddingService(normalizing, model);
            long[] ids = model.tokenizer().encode("the cat sat").ids();
            float[] pooled = model.encodeBatch(List.of(ids))[0];

            float[] raw = withNormalize.embed(List.of(EmbedInput.text("the cat sat")), options(false, null, null)).vectors().get(0);
            float[] unit = withNormalize.embed(List.of(EmbedInput.text("the cat sat")), options(true, null, null)).vectors().get(0);

            assertThat(raw).containsExactly(pooled);
            assertThat(norm(raw)).isGreaterThan(1.5);
            assertThat(norm(unit)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum);
    }

    @Test
    void tokenIdsGiveTheSameVectorAsTheirText() {
        long[] ids = holder.require().tokenizer().encode("the cat sat").ids();
        assertThat(embed(new EmbedInput.TokenIds(ids), options(true, null, null)))
                .containsExactly(embed(EmbedInput.text("the cat sat"), options(true, null, null)));
    }

    @Test
    void promptTokensCountSpecialTokensAndPrompts() {
        Embeddings result = service.embed(List.of(EmbedInput.text("world")), options(true, null, "query"));
        assertThat(result.promptTokens()).isEqualTo(holder.require().tokenizer().encode("hello world").length());
    }

    @Test
    void notReadyBeforeTheModelIsLoaded() {
        EmbeddingService empty = new ModelEmbeddingService(new ModelHolder(), inputs -> null);
        assertThat(empty.isReady()).isFalse();
        assertThatThrownBy(() -> empty.embed(List.of(EmbedInput.text("x")), EmbedOptions.defaults()))
                .isInstanceOf(io.embedserve.error.NotReadyException.class);
    }

    @Test
    void tokenizeAndDecodeTakeTheirPermitsFromTheSameAdmissionAsEmbeddings() {
        SentenceModel model = holder.require();
        Admission admission = new Admission(2, Duration.ofSeconds(30));
        EmbeddingService limited = new ModelEmbeddingService(holder, model, admission, TokenizerSlots.unbounded(), 1000);
        assertThat(limited.tokenize(List.of("hello", "world"), true, null)).hasSize(2);

        try (Admission.Admitted busy = admission.admit(2)) { // every permit is in use
            assertThatThrownBy(() -> limited.tokenize(List.of("hello"), true, null))
                    .isInstanceOf(io.embedserve.error.OverloadedException.class);
            assertThatThrownBy(() -> limited.decode(new long[] {0, 5, 2}, true))
                    .isInstanceOf(io.embedserve.error.OverloadedException.class);
        }
        assertThat(limited.decode(new long[] {0, 5, 2}, true)).isNotNull();
        assertThat(admission.inFlight()).as("every permit came back").isZero();
    }

    @Test
    void aRequestOverTheLimitIsRefusedBeforeAnythingIsTokenizedOrEncoded() throws Exception {
        AtomicInteger encoded = new AtomicInteger();
        SentenceModel model = holder.require();
        Admission admission = new Admission(3, Duration.ofSeconds(30));
        TokenizerSlots oneSlot = new TokenizerSlots(1, Duration.ofSeconds(30), Duration.ofSeconds(1), () -> { });
        EmbeddingService limited = new ModelEmbeddingService(holder, inputs -> {
            encoded.addAndGet(inputs.size());
            return model.encode(inputs);
        }, admission, oneSlot, 1000);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        Thread slotHolder = new Thread(() -> oneSlot.run(() -> {
            holding.countDown();
            try {
                return release.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return false;
            }
        }));
        slotHolder.start();
        holding.await();
        try (Admission.Admitted busy = admission.admit(2)) {
            // The only tokenizer slot is held: a request that reached the tokenizer stage would wait
            // there for 30 s. Over the limit, it must be refused without waiting for anything.
            assertThatThrownBy(() -> limited.embed(List.of(EmbedInput.text("a"), EmbedInput.text("b")),
                    EmbedOptions.defaults())).isInstanceOf(io.embedserve.error.OverloadedException.class);
            assertThat(encoded).as("nothing reached the encoder").hasValue(0);
        } finally {
            release.countDown();
            slotHolder.join();
        }
        assertThat(limited.embed(List.of(EmbedInput.text("fits")), EmbedOptions.defaults()).vectors()).hasSize(1);
        assertThat(encoded).hasValue(1);
        assertThat(admission.inFlight()).isZero();
    }

    @Test
    void repeatedInputsAreComputedOnceAndGetBitIdenticalVectors() {
        SentenceModel model = holder.require();
        AtomicInteger encoded = new AtomicInteger();
        EmbeddingService counting = new ModelEmbeddingService(holder, inputs -> {
            encoded.addAndGet(inputs.size());
            return model.encode(inputs);
        });
        Embeddings result = counting.embed(List.of(EmbedInput.text("same"), EmbedInput.text("other"),
                EmbedInput.text("same")), EmbedOptions.defaults());
        assertThat(encoded).hasValue(2);
        assertThat(result.vectors()).hasSize(3);
        assertThat(result.vectors().get(2)).containsExactly(result.vectors().get(0));
        assertThat(result.vectors().get(1)).isNotEqualTo(result.vectors().get(0));
        assertThat(result.promptTokens()).as("usage counts every input").isEqualTo(
                3 * model.tokenizer().encode("same").length() - model.tokenizer().encode("same").length()
                        + model.tokenizer().encode("other").length());
    }

    @Test
    void anInputOverMaxInputCharsIsRefusedWithTruncationOffAndOnTokenizeButCutWithTruncationOn() {
        SentenceModel model = holder.require();
        EmbeddingService small = new ModelEmbeddingService(holder, model, Admission.unlimited(), TokenizerSlots.unbounded(), 50);
        String text = "hello world ".repeat(10); // 120 characters
        EmbedOptions off = new EmbedOptions(false, false, TruncationDirection.RIGHT, null, null);

        assertThatThrownBy(() -> small.embed(List.of(EmbedInput.text(text)), off))
                .isInstanceOf(ValidationException.class).hasMessageContaining("MAX_INPUT_CHARS").hasMessageContaining("120");
        assertThatThrownBy(() -> small.tokenize(List.of(text), true, null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("MAX_INPUT_CHARS");
        assertThat(small.embed(List.of(EmbedInput.text(text)), options(false, null, null)).vectors().get(0))
                .containsExactly(embed(EmbedInput.text(text), options(false, null, null)));
    }
}
