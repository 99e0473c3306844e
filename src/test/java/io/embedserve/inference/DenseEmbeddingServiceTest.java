package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.ValidationException;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.SentenceTransformerFiles;
import io.embedserve.testsupport.TinyDenseModule;
import io.embedserve.testsupport.TinyHubModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a Dense module the embedding is the Dense module's out_features wide, not the encoder's
 * hidden size: GET /info reports it, and `dimensions` is validated against it.
 */
class DenseEmbeddingServiceTest {

    static final int OUT_FEATURES = 24;

    @TempDir
    static Path dir;

    static ModelHolder holder;
    static EmbeddingService service;

    @BeforeAll
    static void load() {
        TinyHubModel.distilbert(21).writeTo(dir, "");
        SentenceTransformerFiles.write(dir, "mean", TinyHubModel.HIDDEN, 128, false,
                List.of(new TinyDenseModule(TinyHubModel.HIDDEN, OUT_FEATURES, true, TinyDenseModule.TANH, 22)), false);
        holder = new ModelHolder();
        SentenceModel model = SentenceModel.load(new ModelSnapshot(dir, "tiny-distiluse", "local"), null);
        holder.set(model);
        service = new ModelEmbeddingService(holder, model);
    }

    @AfterAll
    static void close() {
        holder.close();
    }

    static float[] embed(boolean normalize, Integer dimensions) {
        EmbedOptions options = new EmbedOptions(normalize, true, TruncationDirection.RIGHT, dimensions, null);
        return service.embed(List.of(EmbedInput.text("Hello world")), options).vectors().get(0);
    }

    @Test
    void infoReportsTheDenseOutputAsTheDimension() {
        assertThat(service.info().hiddenSize()).isEqualTo(OUT_FEATURES);
        assertThat(service.info().modelType()).isEqualTo("distilbert");
    }

    @Test
    void vectorsHaveTheDenseOutputWidth() {
        assertThat(embed(false, null)).hasSize(OUT_FEATURES);
        float[] normalized = embed(true, null);
        double norm = 0;
        for (float v : normalized) {
            norm += v * v;
        }
        assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void dimensionsAreValidatedAgainstTheDenseOutput() {
        assertThat(embed(true, OUT_FEATURES)).hasSize(OUT_FEATURES);
        assertThatThrownBy(() -> embed(true, OUT_FEATURES + 1))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("between 1 and " + OUT_FEATURES);
    }
}
