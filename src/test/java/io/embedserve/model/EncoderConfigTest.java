package io.embedserve.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** config.json is read under each architecture's own key names, with transformers' defaults. */
class EncoderConfigTest {

    @TempDir
    Path dir;

    EncoderConfig read(String json) throws IOException {
        return EncoderConfig.read(Files.writeString(dir.resolve("config.json"), json));
    }

    /** distilbert-base-multilingual-cased's config.json, as distiluse-base-multilingual-cased-v2 ships it. */
    static final String DISTILBERT_MULTILINGUAL = "{\"activation\": \"gelu\", \"architectures\": [\"DistilBertModel\"],"
            + " \"attention_dropout\": 0.1, \"dim\": 768, \"dropout\": 0.1, \"hidden_dim\": 3072,"
            + " \"initializer_range\": 0.02, \"max_position_embeddings\": 512, \"model_type\": \"distilbert\","
            + " \"n_heads\": 12, \"n_layers\": 6, \"output_past\": true, \"pad_token_id\": 0, \"qa_dropout\": 0.1,"
            + " \"seq_classif_dropout\": 0.2, \"sinusoidal_pos_embds\": false, \"tie_weights_\": true,"
            + " \"vocab_size\": 119547}";

    @Test
    void readsDistilBertUnderItsOwnKeyNames() throws IOException {
        EncoderConfig config = read(DISTILBERT_MULTILINGUAL.replace("\"activation\": \"gelu\"", "\"activation\": \"relu\""));
        assertThat(config.family()).isEqualTo(ModelFamily.DISTILBERT);
        assertThat(config.hiddenSize()).isEqualTo(768); // dim
        assertThat(config.numHiddenLayers()).isEqualTo(6); // n_layers
        assertThat(config.numAttentionHeads()).isEqualTo(12); // n_heads
        assertThat(config.intermediateSize()).isEqualTo(3072); // hidden_dim
        assertThat(config.hiddenAct()).isEqualTo("relu"); // activation
        assertThat(config.vocabSize()).isEqualTo(119547);
        assertThat(config.maxPositionEmbeddings()).isEqualTo(512);
        assertThat(config.padTokenId()).isZero();
        assertThat(config.layerNormEps()).isEqualTo(1e-12); // fixed by modeling_distilbert.py
        assertThat(config.typeVocabSize()).isZero();
        assertThat(config.maxInputTokens()).isEqualTo(512); // positions from 0
    }

    @Test
    void distilBertIgnoresBertKeyNamesItDoesNotHave() throws IOException {
        // A DistilBertConfig has no hidden_size: a stray one must not override dim.
        EncoderConfig config = read(DISTILBERT_MULTILINGUAL.replace("\"dim\": 768,", "\"dim\": 768, \"hidden_size\": 64,"));
        assertThat(config.hiddenSize()).isEqualTo(768);
    }

    @Test
    void refusesSinusoidalDistilBertPositions() {
        assertThatThrownBy(() -> read(DISTILBERT_MULTILINGUAL.replace("\"sinusoidal_pos_embds\": false",
                "\"sinusoidal_pos_embds\": true")))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("sinusoidal_pos_embds");
    }

    @Test
    void readsMpnetWithTransformersDefaults() throws IOException {
        EncoderConfig config = read("{\"model_type\": \"mpnet\", \"hidden_size\": 768, \"num_hidden_layers\": 12,"
                + " \"num_attention_heads\": 12, \"intermediate_size\": 3072, \"layer_norm_eps\": 1e-05,"
                + " \"vocab_size\": 30527}");
        assertThat(config.family()).isEqualTo(ModelFamily.MPNET);
        assertThat(config.maxPositionEmbeddings()).isEqualTo(514);
        assertThat(config.padTokenId()).isEqualTo(1);
        assertThat(config.relativeAttentionNumBuckets()).isEqualTo(32);
        assertThat(config.typeVocabSize()).isZero();
        assertThat(config.maxInputTokens()).isEqualTo(512);
    }
}
