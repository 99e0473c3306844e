package io.embedserve.inference.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.inference.Token;
import io.embedserve.testsupport.MiniLmFixture;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real all-MiniLM tokenizer.json through TextTokenizer. */
class TextTokenizerTest {

    static TextTokenizer tokenizer;

    @BeforeAll
    static void load() {
        tokenizer = TextTokenizer.load(MiniLmFixture.modelDirectory().resolve("tokenizer.json"), false);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void tokenizerJsonTruncationAndPaddingAreIgnored() {
        // The file itself truncates at 128 and pads; the service applies max_seq_length itself.
        String text = "word ".repeat(300);
        assertThat(tokenizer.encode(text).length()).isEqualTo(302);
        assertThat(tokenizer.encode("hi").ids()).containsExactly(101, 7632, 102);
    }

    @Test
    void offsetsIndexTheJavaStringEvenAfterEmoji() {
        String text = "I love 🍕 pizza";
        List<Token> tokens = tokenizer.tokens(text, true);
        assertThat(tokens.get(0).special()).isTrue();
        assertThat(tokens.get(0).start()).isNull();
        for (Token token : tokens) {
            if (!token.special()) {
                assertThat(text.substring(token.start(), token.stop())).isEqualTo(token.text());
            }
        }
        assertThat(tokens).extracting(Token::text).contains("pizza", "love");
    }

    @Test
    void specialTokensAreMarked() {
        TokenIds ids = tokenizer.encode("hello");
        assertThat(ids.specialMask()).containsExactly(1, 0, 1);
    }

    @Test
    void decodeRoundTrips() {
        assertThat(tokenizer.decode(tokenizer.encode("hello world").ids(), true)).isEqualTo("hello world");
    }
}
