package io.embedserve.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cross-encoder's architecture, labels, activation and length limit, as CrossEncoder reads them. */
class CrossEncoderConfigTest {

    @TempDir
    Path dir;

    /** cross-encoder/ms-marco-MiniLM-L-6-v2's config.json, with {@code extra} fields added. */
    static String msMarco(String extra) {
        return "{\"_name_or_path\": \"nreimers/MiniLM-L6-H384-uncased\", \"architectures\": [\"BertForSequenceClassification\"],"
                + " \"attention_probs_dropout_prob\": 0.1, \"gradient_checkpointing\": false, \"hidden_act\": \"gelu\","
                + " \"hidden_dropout_prob\": 0.1, \"hidden_size\": 384, \"id2label\": {\"0\": \"LABEL_0\"},"
                + " \"initializer_range\": 0.02, \"intermediate_size\": 1536, \"label2id\": {\"LABEL_0\": 0},"
                + " \"layer_norm_eps\": 1e-12, \"max_position_embeddings\": 512, \"model_type\": \"bert\","
                + " \"num_attention_heads\": 12, \"num_hidden_layers\": 6, \"pad_token_id\": 0,"
                + " \"position_embedding_type\": \"absolute\", \"transformers_version\": \"4.6.1\", \"type_vocab_size\": 2,"
                + " \"use_cache\": true, \"vocab_size\": 30522" + extra + "}";
    }

    /** BAAI/bge-reranker-base's config.json. */
    static final String BGE_RERANKER_BASE = "{\"architectures\": [\"XLMRobertaForSequenceClassification\"],"
            + " \"attention_probs_dropout_prob\": 0.1, \"bos_token_id\": 0, \"classifier_dropout\": null,"
            + " \"eos_token_id\": 2, \"hidden_act\": \"gelu\", \"hidden_dropout_prob\": 0.1, \"hidden_size\": 768,"
            + " \"id2label\": {\"0\": \"LABEL_0\"}, \"initializer_range\": 0.02, \"intermediate_size\": 3072,"
            + " \"label2id\": {\"LABEL_0\": 0}, \"layer_norm_eps\": 1e-05, \"max_position_embeddings\": 514,"
            + " \"model_type\": \"xlm-roberta\", \"num_attention_heads\": 12, \"num_hidden_layers\": 12,"
            + " \"output_past\": true, \"pad_token_id\": 1, \"position_embedding_type\": \"absolute\","
            + " \"torch_dtype\": \"float32\", \"type_vocab_size\": 1, \"use_cache\": true, \"vocab_size\": 250002}";

    CrossEncoderConfig read(String config, String tokenizerConfig) throws IOException {
        Files.writeString(dir.resolve("config.json"), config);
        if (tokenizerConfig != null) {
            Files.writeString(dir.resolve("tokenizer_config.json"), tokenizerConfig);
        }
        return CrossEncoderConfig.read(dir, EncoderConfig.read(dir.resolve("config.json")));
    }

    @Test
    void readsTheMsMarcoRerankerAsCrossEncoderDoes() throws IOException {
        CrossEncoderConfig config = read(msMarco(""), "{\"do_lower_case\": true, \"model_max_length\": 512}");
        assertThat(config.architecture()).isEqualTo("BertForSequenceClassification");
        assertThat(config.labels()).containsExactly("LABEL_0");
        assertThat(config.activationFunction()).isEqualTo("torch.nn.modules.activation.Sigmoid");
        assertThat(config.maxLength()).isEqualTo(512);
    }

    @Test
    void xlmRobertaRerankersStopAtTheirLastUsablePosition() throws IOException {
        // model_max_length 512, max_position_embeddings 514: CrossEncoder's min is 512, all of which fit.
        assertThat(read(BGE_RERANKER_BASE, "{\"model_max_length\": 512}").maxLength()).isEqualTo(512);
        // without a model_max_length (transformers' "no limit", 1e30) the position table decides: 514 - 2
        assertThat(read(BGE_RERANKER_BASE, "{\"model_max_length\": 1000000000000000019884624838656}").maxLength())
                .isEqualTo(512);
        assertThat(read(BGE_RERANKER_BASE, null).maxLength()).isEqualTo(512);
        assertThat(read(BGE_RERANKER_BASE, "{\"model_max_length\": 256}").maxLength()).isEqualTo(256);
    }

    @Test
    void labelsComeFromId2labelInIdOrder() throws IOException {
        String nli = msMarco("").replace("{\"0\": \"LABEL_0\"}", "{\"2\": \"neutral\", \"0\": \"contradiction\", \"1\": \"entailment\"}");
        CrossEncoderConfig config = read(nli, null);
        assertThat(config.labels()).containsExactly("contradiction", "entailment", "neutral");
        assertThat(config.activationFunction()).isEqualTo("torch.nn.modules.linear.Identity");
    }

    @Test
    void theActivationTheModelDeclaresWins() throws IOException {
        assertThat(read(msMarco(", \"sentence_transformers\": {\"activation_fn\": \"torch.nn.modules.linear.Identity\","
                + " \"version\": \"5.1.0\"}"), null).activationFunction()).isEqualTo("torch.nn.modules.linear.Identity");
        assertThat(read(msMarco(", \"sbert_ce_default_activation_function\": \"torch.nn.modules.activation.Tanh\""), null)
                .activationFunction()).isEqualTo("torch.nn.modules.activation.Tanh");
    }

    @Test
    void refusesWhatIsNotASupportedSequenceClassifier() {
        assertThatThrownBy(() -> read(msMarco("").replace("BertForSequenceClassification", "BertModel"), null))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("[BertModel]").hasMessageContaining("XLMRobertaForSequenceClassification");
        assertThatThrownBy(() -> read(msMarco("").replace("BertForSequenceClassification", "RobertaForSequenceClassification"), null))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("model_type 'bert'");
    }

    @Test
    void refusesLabelIdsWithGaps() {
        assertThatThrownBy(() -> read(msMarco("").replace("{\"0\": \"LABEL_0\"}", "{\"0\": \"a\", \"2\": \"b\"}"), null))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("id2label ids [0, 2]");
    }

    @Test
    void aSequenceClassifierOfAnyFamilyMakesTheModelACrossEncoderAsInTei() throws IOException {
        Files.writeString(dir.resolve("config.json"), BGE_RERANKER_BASE);
        assertThat(CrossEncoderConfig.namesSequenceClassifier(dir)).isTrue();
        Files.writeString(dir.resolve("config.json"), "{\"architectures\": [\"DebertaV2ForSequenceClassification\"]}");
        assertThat(CrossEncoderConfig.namesSequenceClassifier(dir)).isTrue();
        Files.writeString(dir.resolve("config.json"), "{\"architectures\": [\"BertModel\"], \"model_type\": \"bert\"}");
        assertThat(CrossEncoderConfig.namesSequenceClassifier(dir)).isFalse();
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"xlm-roberta\"}");
        assertThat(CrossEncoderConfig.namesSequenceClassifier(dir)).isFalse();
    }
}
