package io.embedserve.testsupport;

import java.util.ArrayList;
import java.util.List;

/**
 * A small tokenizer.json in XLM-R's format: a Unigram model behind a Metaspace pre-tokenizer, with
 * {@code <s>}=0, {@code <pad>}=1, {@code </s>}=2, {@code <unk>}=3 and RobertaProcessing adding
 * {@code <s> … </s>}. Like the tokenizer.json files sentence-transformers uploaded, it keeps its own
 * truncation and padding blocks ({@value #BAKED_IN_LENGTH} tokens, fixed padding), shorter than the
 * models' max_seq_length: the service must follow max_seq_length, never these blocks.
 */
public final class TinyTokenizer {

    static final List<String> VOCAB = vocab();
    /** The truncation max_length and fixed padding length written into the file. */
    public static final int BAKED_IN_LENGTH = 8;

    private TinyTokenizer() {}

    private static List<String> vocab() {
        List<String> pieces = new ArrayList<>(List.of("<s>", "<pad>", "</s>", "<unk>", "\u2581"));
        for (String word : List.of("the", "a", "hello", "world", "cat", "sat", "on", "mat", "is", "good", "day")) {
            pieces.add("\u2581" + word);
        }
        for (char c = 'a'; c <= 'z'; c++) {
            pieces.add(String.valueOf(c));
        }
        for (char c = '0'; c <= '9'; c++) {
            pieces.add(String.valueOf(c));
        }
        pieces.add(".");
        pieces.add(",");
        return List.copyOf(pieces);
    }

    static String json() {
        StringBuilder vocab = new StringBuilder();
        for (int i = 0; i < VOCAB.size(); i++) {
            String piece = VOCAB.get(i);
            double score = i < 4 ? 0.0 : piece.startsWith("\u2581") ? -2.0 - piece.length() * 0.01 : -5.0;
            vocab.append(i == 0 ? "" : ",").append("[\"").append(piece).append("\",").append(score).append(']');
        }
        String added = "";
        String[] specials = {"<s>", "<pad>", "</s>", "<unk>"};
        for (int i = 0; i < specials.length; i++) {
            added += (i == 0 ? "" : ",") + "{\"id\":" + i + ",\"content\":\"" + specials[i]
                    + "\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true}";
        }
        return "{\"version\":\"1.0\","
                + "\"truncation\":{\"direction\":\"Right\",\"max_length\":" + BAKED_IN_LENGTH
                + ",\"strategy\":\"LongestFirst\",\"stride\":0},"
                + "\"padding\":{\"strategy\":{\"Fixed\":" + BAKED_IN_LENGTH + "},\"direction\":\"Right\","
                + "\"pad_to_multiple_of\":null,\"pad_id\":1,\"pad_type_id\":0,\"pad_token\":\"<pad>\"},"
                + "\"added_tokens\":[" + added + "],"
                + "\"normalizer\":null,"
                + "\"pre_tokenizer\":{\"type\":\"Metaspace\",\"replacement\":\"\u2581\",\"prepend_scheme\":\"always\",\"split\":true},"
                + "\"post_processor\":{\"type\":\"RobertaProcessing\",\"sep\":[\"</s>\",2],\"cls\":[\"<s>\",0],\"trim_offsets\":true,\"add_prefix_space\":true},"
                + "\"decoder\":{\"type\":\"Metaspace\",\"replacement\":\"\u2581\",\"prepend_scheme\":\"always\",\"split\":true},"
                + "\"model\":{\"type\":\"Unigram\",\"unk_id\":3,\"vocab\":[" + vocab + "],\"byte_fallback\":false}}";
    }
}
