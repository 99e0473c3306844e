package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.RealModel;
import io.embedserve.testsupport.Sentences;
import io.embedserve.testsupport.Vectors;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * intfloat/e5-small-v2: 12 layers, mean pooling, Normalize, max_seq_length 512, and the prompts
 * "query: " / "passage: " in config_sentence_transformers.json. The shared tests embed every input
 * with prompt_name "query"; the prompt's tokens are part of the mean (include_prompt true).
 */
class E5SmallEquivalenceTest extends RealModelEquivalence {

    @Override
    RealModel realModel() {
        return RealModel.E5_SMALL_V2;
    }

    @Override
    String promptName() {
        return "query";
    }

    @Test
    void passagePromptAndNoPromptMatchOnnxRuntimeToo() {
        for (String text : Sentences.VARIED.subList(0, 12)) {
            assertMatchesOnnx("passage", text,
                    service.embed(List.of(EmbedInput.text(text)), options("passage")).vectors().get(0));
            assertMatchesOnnx(null, text, service.embed(List.of(EmbedInput.text(text)), options(null)).vectors().get(0));
        }
    }

    @Test
    void thePromptChangesTheVector() {
        String text = "how much protein should a female eat";
        float[] query = service.embed(List.of(EmbedInput.text(text)), options("query")).vectors().get(0);
        float[] passage = service.embed(List.of(EmbedInput.text(text)), options("passage")).vectors().get(0);
        assertThat(Vectors.cosine(query, Vectors.toDouble(passage))).isLessThan(0.999);
    }
}
