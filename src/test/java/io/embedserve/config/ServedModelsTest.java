package io.embedserve.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.ModelLoadException;
import io.embedserve.testsupport.CrossEncoderCheckpoint;
import io.embedserve.testsupport.HubCache;
import io.embedserve.testsupport.TinyEncoderModel;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which models a start serves, read from the settings and the models' own config.json before any weights. */
class ServedModelsTest {

    static final String RERANKER_ID = "BAAI/bge-reranker-base";

    @TempDir
    static Path dir;

    static Path sentenceModel;
    static Path crossEncoder;
    static Path hubCache;

    @BeforeAll
    static void writeModels() {
        sentenceModel = TinyEncoderModel.xlmRoberta(3).writeTo(dir.resolve("sentence"));
        crossEncoder = CrossEncoderCheckpoint.bgeRerankerXlmRoberta(4).writeTo(dir.resolve("reranker"));
        hubCache = dir.resolve("hub");
        HubCache.write(hubCache, RERANKER_ID, HubCache.commitFor(RERANKER_ID), crossEncoder);
    }

    static ModelProperties model(Path path) {
        return new ModelProperties(path.toString(), null, null, hubCache.toString(), null, null, null);
    }

    static final RerankModelProperties NO_RERANKER = new RerankModelProperties(null, null, null);

    @Test
    void aSentenceModelAloneServesNoCrossEncoder() {
        ServedModels served = ServedModels.read(model(sentenceModel), NO_RERANKER);
        assertThat(served.sentence().snapshot().directory()).isEqualTo(sentenceModel.toAbsolutePath());
        assertThat(served.crossEncoder()).isNull();
    }

    @Test
    void aRerankerIsFoundInTheSameCacheByItsIdAndRevision() {
        ServedModels served = ServedModels.read(model(sentenceModel),
                new RerankModelProperties(null, RERANKER_ID, HubCache.commitFor(RERANKER_ID)));
        assertThat(served.sentence()).isNotNull();
        assertThat(served.crossEncoder().snapshot().modelId()).isEqualTo(RERANKER_ID);
        assertThat(served.crossEncoder().snapshot().revision()).isEqualTo(HubCache.commitFor(RERANKER_ID));
        assertThat(served.crossEncoder().classifier().labels()).containsExactly("LABEL_0");
        assertThat(served.crossEncoder().classifier().maxLength()).isEqualTo(38);
    }

    @Test
    void aSequenceClassifierAsModelIdIsServedAlone() {
        ServedModels served = ServedModels.read(model(crossEncoder), NO_RERANKER);
        assertThat(served.sentence()).isNull();
        assertThat(served.crossEncoder().classifier().architecture()).isEqualTo("XLMRobertaForSequenceClassification");
    }

    @Test
    void aCrossEncoderAsModelIdWithARerankerBesideIsRefused() {
        RerankModelProperties reranker = new RerankModelProperties(null, RERANKER_ID, null);
        assertThatThrownBy(() -> ServedModels.read(model(crossEncoder), reranker))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith("The model reranker (MODEL_ID or MODEL_PATH) is a cross-encoder, and"
                        + " RERANK_MODEL_ID or RERANK_MODEL_PATH names a second one.");
    }

    @Test
    void aRerankerMissingFromTheCacheIsNamedByItsOwnSettings() {
        assertThatThrownBy(() -> ServedModels.read(model(sentenceModel),
                new RerankModelProperties(null, "cross-encoder/ms-marco-MiniLM-L-6-v2", null)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith("Reranker: Model cross-encoder/ms-marco-MiniLM-L-6-v2 is not in the"
                        + " Hugging Face cache")
                .hasMessageContaining("Check RERANK_MODEL_ID")
                .satisfies(e -> assertThat(e.getMessage().replace("RERANK_MODEL_", "")).doesNotContain("MODEL_ID"));
    }

    @Test
    void aRerankerPathToASentenceModelIsRefusedNamingWhatACrossEncoderMustBe() {
        assertThatThrownBy(() -> ServedModels.read(model(sentenceModel),
                new RerankModelProperties(sentenceModel.toString(), null, null)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith("Reranker: ")
                .hasMessageContaining("a cross-encoder must be exactly one of [BertForSequenceClassification,"
                        + " RobertaForSequenceClassification, XLMRobertaForSequenceClassification]");
    }
}
