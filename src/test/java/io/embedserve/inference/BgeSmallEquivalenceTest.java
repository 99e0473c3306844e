package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.RealModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BAAI/bge-small-en-v1.5: 12 layers, CLS pooling, Normalize, max_seq_length 512, lower-cased input. */
class BgeSmallEquivalenceTest extends RealModelEquivalence {

    @Override
    RealModel realModel() {
        return RealModel.BGE_SMALL_EN_V15;
    }

    /** CLS pooling reads position 0 only, so padding after a short input must change nothing. */
    @Test
    void clsVectorOfAShortInputIsTheSameAloneAndBesideA512TokenOne() {
        String shortText = "Hi";
        String longText = io.embedserve.testsupport.Sentences.VARIED.get(io.embedserve.testsupport.Sentences.VARIED.size() - 3);
        List<float[]> batch = service.embed(List.of(EmbedInput.text(shortText), EmbedInput.text(longText)),
                options(null)).vectors();
        assertMatchesOnnx(null, shortText, batch.get(0));
        assertMatchesOnnx(null, longText, batch.get(1));
        assertThat(referenceIds(null, longText)).hasSize(512);
    }
}
