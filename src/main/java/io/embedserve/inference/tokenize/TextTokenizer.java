package io.embedserve.inference.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import io.embedserve.error.ModelLoadException;
import io.embedserve.error.TokenizerException;
import io.embedserve.inference.Token;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The model's own tokenizer.json through Hugging Face tokenizers (DJL binding), with the
 * tokenizer's own special tokens. It never truncates or pads: truncation is done by
 * {@link Truncation} so that either end can be cut, and padding belongs to the encoder's batches.
 * The native tokenizer is thread-safe, so any thread may call it.
 */
public final class TextTokenizer implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final boolean doLowerCase;
    private final int longestTokenChars;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, boolean doLowerCase, int longestTokenChars) {
        this.tokenizer = tokenizer;
        this.doLowerCase = doLowerCase;
        this.longestTokenChars = longestTokenChars;
    }

    public static TextTokenizer load(Path tokenizerJson, boolean doLowerCase) {
        try {
            Map<String, String> options = Map.of(
                    "addSpecialTokens", "true",
                    "truncation", "false",
                    "padding", "false",
                    "modelMaxLength", String.valueOf(Integer.MAX_VALUE));
            int longest = TokenizerVocab.longestTokenChars(tokenizerJson);
            return new TextTokenizer(HuggingFaceTokenizer.newInstance(tokenizerJson, options), doLowerCase, longest);
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException(
                    "Cannot load the tokenizer " + tokenizerJson + ": " + e.getMessage()
                            + ". The file is corrupt or from an unsupported tokenizers version.", e);
        }
    }

    /**
     * The most characters one token can stand for: the longest vocabulary entry without its
     * word-piece markers, or WordPiece's max_input_chars_per_word (a longer word is one [UNK]).
     */
    public int longestTokenChars() {
        return longestTokenChars;
    }

    /** Token ids with the tokenizer's special tokens, and which of them are special. */
    public TokenIds encode(String text) {
        Encoding encoding = rawEncode(text, true);
        return new TokenIds(encoding.getIds(), encoding.getSpecialTokenMask());
    }

    /**
     * A text pair through the tokenizer's pair template ({@code [CLS] a [SEP] b [SEP]},
     * {@code <s> a </s></s> b </s>}), untruncated ({@link PairTruncation} cuts it).
     */
    public PairTokenIds encodePair(String first, String second) {
        String a = doLowerCase ? first.toLowerCase(Locale.ROOT) : first;
        String b = doLowerCase ? second.toLowerCase(Locale.ROOT) : second;
        Encoding encoding;
        try {
            encoding = tokenizer.encode(a, b, true, false);
        } catch (RuntimeException e) {
            throw new TokenizerException("The tokenizer refused the input: " + e.getMessage(), e);
        }
        return new PairTokenIds(encoding.getIds(), encoding.getTypeIds(), encoding.getSequenceIds());
    }

    /** Tokens with their text and char offsets into {@code text}, for /tokenize. */
    public List<Token> tokens(String text, boolean addSpecialTokens) {
        Encoding encoding = rawEncode(text, addSpecialTokens);
        long[] ids = encoding.getIds();
        long[] special = encoding.getSpecialTokenMask();
        String[] pieces = encoding.getTokens();
        CharSpan[] spans = encoding.getCharTokenSpans();
        int[] charIndex = charIndexOfCodePoint(text);
        List<Token> tokens = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            boolean isSpecial = special[i] == 1;
            CharSpan span = spans[i];
            if (isSpecial || span == null) {
                tokens.add(new Token(ids[i], pieces[i], true, null, null));
            } else {
                // Hugging Face tokenizers count offsets in code points; Java strings in UTF-16 units.
                int start = charIndex[Math.min(span.getStart(), charIndex.length - 1)];
                int stop = charIndex[Math.min(span.getEnd(), charIndex.length - 1)];
                tokens.add(new Token(ids[i], text.substring(start, stop), false, start, stop));
            }
        }
        return tokens;
    }

    /** For each code point index (and one past the end), its UTF-16 index in {@code text}. */
    private static int[] charIndexOfCodePoint(String text) {
        int[] index = new int[text.codePointCount(0, text.length()) + 1];
        int at = 0;
        for (int cp = 0; cp < index.length - 1; cp++) {
            index[cp] = at;
            at += Character.charCount(text.codePointAt(at));
        }
        index[index.length - 1] = text.length();
        return index;
    }

    public String decode(long[] ids, boolean skipSpecialTokens) {
        try {
            return tokenizer.decode(ids, skipSpecialTokens);
        } catch (RuntimeException e) {
            throw new TokenizerException("Cannot decode ids: " + e.getMessage(), e);
        }
    }

    private Encoding rawEncode(String text, boolean addSpecialTokens) {
        String input = doLowerCase ? text.toLowerCase(Locale.ROOT) : text;
        try {
            return tokenizer.encode(input, addSpecialTokens, false);
        } catch (RuntimeException e) {
            throw new TokenizerException("The tokenizer refused the input: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
