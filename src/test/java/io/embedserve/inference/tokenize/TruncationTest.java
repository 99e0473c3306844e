package io.embedserve.inference.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.inference.TruncationDirection;
import org.junit.jupiter.api.Test;

class TruncationTest {

    // <s> a b c d e </s>
    static final TokenIds TOKENS = new TokenIds(new long[] {0, 10, 11, 12, 13, 14, 2}, new long[] {1, 0, 0, 0, 0, 0, 1});

    @Test
    void rightTruncationKeepsBothSpecialTokens() {
        assertThat(Truncation.truncate(TOKENS, 4, TruncationDirection.RIGHT)).containsExactly(0, 10, 11, 2);
    }

    @Test
    void leftTruncationCutsTheStartOfTheText() {
        assertThat(Truncation.truncate(TOKENS, 4, TruncationDirection.LEFT)).containsExactly(0, 13, 14, 2);
    }

    @Test
    void shortInputIsUntouched() {
        assertThat(Truncation.truncate(TOKENS, 7, TruncationDirection.RIGHT)).isSameAs(TOKENS.ids());
    }

    @Test
    void clientIdsAreCutPlainly() {
        assertThat(Truncation.truncateIds(new long[] {1, 2, 3, 4}, 2, TruncationDirection.LEFT)).containsExactly(3, 4);
        assertThat(Truncation.truncateIds(new long[] {1, 2, 3, 4}, 2, TruncationDirection.RIGHT)).containsExactly(1, 2);
    }
}
