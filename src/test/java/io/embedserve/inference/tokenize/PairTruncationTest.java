package io.embedserve.inference.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.inference.TruncationDirection;
import io.embedserve.testsupport.ModelResources;
import io.embedserve.testsupport.NativePairTokenizer;
import io.embedserve.testsupport.RealModel;
import io.embedserve.testsupport.TinyEncoderModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pairs are cut as the Hugging Face tokenizers library's LongestFirst strategy cuts them (what
 * sentence-transformers' CrossEncoder asks of the tokenizer), from either end: compared with the
 * library truncating the same pairs itself, on BERT's template (all-MiniLM-L6-v2's real tokenizer)
 * and on XLM-R's.
 */
class PairTruncationTest {

    static final String[] WORDS = {"the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "unbelievably"};

    /** {@code count} words, some of which split into several word pieces. */
    static String words(int count, int offset) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            words.add(WORDS[(i + offset) % WORDS.length]);
        }
        return String.join(" ", words);
    }

    /** Every combination of text lengths and limits below, both ends: the service's cut equals the library's. */
    static void assertSameAsTheLibrary(Path tokenizerJson, int... limits) {
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerJson, false)) {
            for (int maxLength : limits) {
                for (String direction : List.of("Right", "Left")) {
                    try (NativePairTokenizer reference = NativePairTokenizer.of(tokenizerJson, maxLength, direction)) {
                        for (int first = 0; first <= 14; first += 2) {
                            for (int second = 1; second <= 15; second += 2) {
                                String a = words(first, 0);
                                String b = words(second, 3);
                                PairTokenIds cut = PairTruncation.truncate(tokenizer.encodePair(a, b), maxLength,
                                        direction.equals("Right") ? TruncationDirection.RIGHT : TruncationDirection.LEFT);
                                NativePairTokenizer.Pair expected = reference.encode(a, b);
                                String what = direction + " " + maxLength + " (" + first + " words, " + second + " words)";
                                assertThat(cut.ids()).as(what).containsExactly(expected.ids());
                                assertThat(cut.typeIds()).as(what).containsExactly(expected.typeIds());
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void bertPairsAreCutAsTheTokenizersLibraryCutsThem() {
        assertSameAsTheLibrary(ModelResources.tokenizerJson(RealModel.ALL_MINILM_L6_V2), 6, 9, 16, 25, 512);
    }

    @Test
    void xlmRobertaPairsAreCutAsTheTokenizersLibraryCutsThem(@TempDir Path dir) {
        Path tokenizerJson = TinyEncoderModel.xlmRoberta(1).writeTo(dir).resolve("tokenizer.json");
        assertSameAsTheLibrary(tokenizerJson, 7, 10, 17, 26);
    }

    @Test
    void theShorterTextKeepsItsTokensWhenTheLongerCanGiveEnough() {
        assertThat(PairTruncation.keptLengths(3, 20, 10)).containsExactly(3, 7);
        assertThat(PairTruncation.keptLengths(20, 3, 10)).containsExactly(7, 3);
        // both longer than half: half each, the odd token to the longer text
        assertThat(PairTruncation.keptLengths(8, 9, 11)).containsExactly(5, 6);
        assertThat(PairTruncation.keptLengths(9, 8, 11)).containsExactly(6, 5);
        assertThat(PairTruncation.keptLengths(8, 8, 11)).containsExactly(5, 6);
    }

    @Test
    void aPairWithinTheLimitIsUntouched() {
        PairTokenIds pair = new PairTokenIds(new long[] {101, 5, 102, 6, 102}, new long[] {0, 0, 0, 1, 1},
                new long[] {-1, 0, -1, 1, -1});
        assertThat(PairTruncation.truncate(pair, 5, TruncationDirection.RIGHT)).isSameAs(pair);
    }

    @Test
    void aLimitBelowTheSpecialTokensIsRefused() {
        PairTokenIds pair = new PairTokenIds(new long[] {101, 5, 102, 6, 102}, new long[] {0, 0, 0, 1, 1},
                new long[] {-1, 0, -1, 1, -1});
        assertThatThrownBy(() -> PairTruncation.truncate(pair, 3, TruncationDirection.RIGHT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLiteralSpecialTokenInTheTextCountsAsText() {
        // "[SEP]" typed by a user is matched as the special token, but belongs to the text it is in.
        try (TextTokenizer tokenizer = TextTokenizer.load(ModelResources.tokenizerJson(RealModel.ALL_MINILM_L6_V2), false);
                NativePairTokenizer reference = NativePairTokenizer.of(
                        ModelResources.tokenizerJson(RealModel.ALL_MINILM_L6_V2), 8, "Right")) {
            String a = "one [SEP] two three four";
            String b = String.join(" ", Collections.nCopies(6, "five"));
            assertThat(PairTruncation.truncate(tokenizer.encodePair(a, b), 8, TruncationDirection.RIGHT).ids())
                    .containsExactly(reference.encode(a, b).ids());
        }
    }
}
