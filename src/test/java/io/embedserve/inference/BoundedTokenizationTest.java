package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.inference.tokenize.TextTokenizer;
import io.embedserve.inference.tokenize.TokenIds;
import io.embedserve.inference.tokenize.Truncation;
import io.embedserve.testsupport.MiniLmFixture;
import io.embedserve.testsupport.Sentences;
import io.embedserve.testsupport.TinyEncoderModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cutting a long text before tokenizing never changes the tokens that truncation keeps, so the
 * vector is unchanged: the reference is the same tokenizer run on the whole long text, then
 * truncated. Checked on WordPiece (all-MiniLM's real tokenizer.json) and Unigram behind Metaspace
 * (XLM-R's format), from both ends, on prose, several scripts, text without any whitespace, and
 * text whose tokens are too sparse for the first window.
 */
class BoundedTokenizationTest {

    /** Several times the largest first window (4 × 256 × 101 characters), so that every path is taken. */
    static final int LONG = 450_000;
    static TextTokenizer wordPiece;
    static TextTokenizer unigram;

    @BeforeAll
    static void tokenizers() throws Exception {
        wordPiece = TextTokenizer.load(MiniLmFixture.modelDirectory().resolve("tokenizer.json"), true);
        Path tiny = TinyEncoderModel.xlmRoberta(3).writeTo(Files.createTempDirectory("bounded-tokenization"));
        unigram = TextTokenizer.load(tiny.resolve("tokenizer.json"), false);
    }

    @AfterAll
    static void close() {
        wordPiece.close();
        unigram.close();
    }

    static String upTo(String unit, int chars) {
        StringBuilder text = new StringBuilder(chars + unit.length());
        while (text.length() < chars) {
            text.append(unit);
        }
        return text.toString();
    }

    static Stream<Arguments> texts() {
        String prose = upTo(String.join(" ", Sentences.shortSentences(500)) + " ", LONG);
        String scripts = upTo(String.join(" ", Sentences.VARIED) + " ", LONG);
        String noWhitespace = upTo("thecatsatonthemat", LONG);
        String sparse = upTo("hello" + " ".repeat(40_000) + "world ", LONG);
        String sparseThenDense = " ".repeat(150_000) + "the cat sat. " + prose.substring(0, LONG - 150_013);
        return Stream.of(
                Arguments.of("prose", prose), Arguments.of("scripts", scripts),
                Arguments.of("no whitespace", noWhitespace), Arguments.of("sparse", sparse),
                Arguments.of("sparse then dense", sparseThenDense));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void keepsExactlyTheTokensTruncationKeepsFromTheWholeText(String name, String text) {
        for (TextTokenizer tokenizer : List.of(wordPiece, unigram)) {
            TokenIds whole = tokenizer.encode(text);
            for (int maxSeqLength : new int[] {128, 256}) {
                int window = BoundedTokenization.windowChars(65_536, maxSeqLength, tokenizer.longestTokenChars());
                for (TruncationDirection direction : TruncationDirection.values()) {
                    TokenIds bounded = BoundedTokenization.encode(tokenizer, text, maxSeqLength, window, direction);
                    assertThat(Truncation.truncate(bounded, maxSeqLength, direction))
                            .as("%s, max %d, %s", name, maxSeqLength, direction)
                            .containsExactly(Truncation.truncate(whole, maxSeqLength, direction));
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aPromptInFrontSurvivesTheCutFromTheRight() {
        String prompted = "query: " + upTo(String.join(" ", Sentences.shortSentences(200)) + " ", 20_000);
        TokenIds whole = wordPiece.encode(prompted);
        TokenIds bounded = BoundedTokenization.encode(wordPiece, prompted, 128, 2_000, TruncationDirection.RIGHT);
        assertThat(bounded.length()).as("the text was cut").isLessThan(whole.length());
        assertThat(Truncation.truncate(bounded, 128, TruncationDirection.RIGHT))
                .containsExactly(Truncation.truncate(whole, 128, TruncationDirection.RIGHT));
    }

    @org.junit.jupiter.api.Test
    void theWindowCoversWhatMaxSeqLengthTokensCanSpan() {
        // WordPiece turns a word of more than max_input_chars_per_word (100) characters into one [UNK].
        assertThat(wordPiece.longestTokenChars()).isEqualTo(100);
        assertThat(unigram.longestTokenChars()).isEqualTo("hello".length());
        assertThat(BoundedTokenization.windowChars(65_536, 256, 100)).isEqualTo(4 * 256 * 101);
        assertThat(BoundedTokenization.windowChars(65_536, 128, 5)).isEqualTo(65_536);
    }
}
