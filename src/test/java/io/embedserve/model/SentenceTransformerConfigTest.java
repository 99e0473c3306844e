package io.embedserve.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.ModelLoadException;
import io.embedserve.testsupport.SafetensorsWriter;
import io.embedserve.testsupport.TinyEncoderModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline is read from the model's own files, never assumed. */
class SentenceTransformerConfigTest {

    @TempDir
    Path dir;

    SentenceTransformerConfig write(String pooling, boolean normalize, int maxSeqLength) {
        TinyEncoderModel.xlmRoberta(1).writeTo(dir, pooling, normalize, maxSeqLength, "", SafetensorsWriter.Dtype.F32);
        EncoderConfig encoder = EncoderConfig.read(dir.resolve("config.json"));
        return SentenceTransformerConfig.read(dir, encoder, null);
    }

    @Test
    void readsPoolingAndNormalizeFromTheModelFiles() {
        SentenceTransformerConfig config = write("max", true, 16);
        assertThat(config.pooling()).isEqualTo(PoolingMode.MAX);
        assertThat(config.normalize()).isTrue();
        assertThat(config.maxSeqLength()).isEqualTo(16);
        assertThat(write("lasttoken", false, 16).pooling()).isEqualTo(PoolingMode.LAST_TOKEN);
    }

    @Test
    void maxSeqLengthIsCappedByTheXlmRobertaPositionTable() {
        // 40 positions, pad_token_id 1: rows 0 and 1 are never used by real tokens, so 38 fit.
        assertThat(write("mean", false, 100).maxSeqLength()).isEqualTo(38);
        assertThat(EncoderConfig.read(dir.resolve("config.json")).maxInputTokens()).isEqualTo(38);
    }

    @Test
    void readsPrompts() throws IOException {
        write("mean", false, 16);
        Files.writeString(dir.resolve("config_sentence_transformers.json"),
                "{\"prompts\": {\"query\": \"query: \", \"passage\": \"passage: \"}, \"default_prompt_name\": null}");
        SentenceTransformerConfig config = SentenceTransformerConfig.read(dir, EncoderConfig.read(dir.resolve("config.json")), null);
        assertThat(config.prompts()).containsEntry("query", "query: ");
        assertThat(config.promptText("passage")).isEqualTo("passage: ");
        assertThat(config.promptText(null)).isEmpty();
    }

    @Test
    void refusesADefaultPromptThatIsNotAmongThePrompts() throws IOException {
        write("mean", false, 16);
        Files.writeString(dir.resolve("config_sentence_transformers.json"),
                "{\"prompts\": {\"query\": \"query: \"}, \"default_prompt_name\": \"passage\"}");
        assertThatThrownBy(() -> SentenceTransformerConfig.read(dir, EncoderConfig.read(dir.resolve("config.json")), null))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("default_prompt_name 'passage'");
    }

    @Test
    void refusesTwoPoolingModesAtOnce() throws IOException {
        write("mean", false, 16);
        Path pooling = dir.resolve("1_Pooling/config.json");
        Files.writeString(pooling, Files.readString(pooling).replace("\"pooling_mode_cls_token\": false", "\"pooling_mode_cls_token\": true"));
        assertThatThrownBy(() -> SentenceTransformerConfig.read(dir, EncoderConfig.read(dir.resolve("config.json")), null))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("exactly one pooling mode");
    }

    @Test
    void refusesModulesItCannotRun() throws IOException {
        write("mean", false, 16);
        Files.writeString(dir.resolve("modules.json"),
                "[{\"idx\":0,\"path\":\"\",\"type\":\"sentence_transformers.models.Transformer\"},"
                        + "{\"idx\":1,\"path\":\"1_Pooling\",\"type\":\"sentence_transformers.models.Pooling\"},"
                        + "{\"idx\":2,\"path\":\"2_LayerNorm\",\"type\":\"sentence_transformers.models.LayerNorm\"}]");
        assertThatThrownBy(() -> SentenceTransformerConfig.read(dir, EncoderConfig.read(dir.resolve("config.json")), null))
                .hasMessageContaining("sentence_transformers.models.LayerNorm")
                .hasMessageContaining("Transformer, Pooling, Dense and Normalize only");
    }

    SentenceTransformerConfig withPromptsAndIncludePrompt(String pooling, boolean includePrompt, String prompts)
            throws IOException {
        write(pooling, false, 16);
        Path poolingFile = dir.resolve("1_Pooling/config.json");
        Files.writeString(poolingFile, Files.readString(poolingFile)
                .replace("\"include_prompt\": true", "\"include_prompt\": " + includePrompt));
        Files.writeString(dir.resolve("config_sentence_transformers.json"), "{\"prompts\": " + prompts + "}");
        return SentenceTransformerConfig.read(dir, EncoderConfig.read(dir.resolve("config.json")), null);
    }

    @Test
    void refusesAModelThatLeavesItsPromptOutOfMeanPooling() {
        assertThatThrownBy(() -> withPromptsAndIncludePrompt("mean", false, "{\"query\": \"query: \"}"))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("include_prompt").hasMessageContaining("1_Pooling")
                .hasMessageContaining("[query]").hasMessageContaining("refused");
    }

    @Test
    void acceptsIncludePromptFalseWhereItCannotChangeAVector() throws IOException {
        // No prompts: nothing to leave out. CLS pooling: the first token is read whatever the mask.
        assertThat(withPromptsAndIncludePrompt("mean", false, "{}").pooling()).isEqualTo(PoolingMode.MEAN);
        assertThat(withPromptsAndIncludePrompt("cls", false, "{\"query\": \"query: \"}").prompts()).containsKey("query");
        assertThat(withPromptsAndIncludePrompt("mean", true, "{\"query\": \"query: \"}").prompts()).containsKey("query");
    }
}
