package io.embedserve.testsupport;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A tokenizer.json in XLM-R's format (Unigram behind Metaspace, RobertaProcessing) with XLM-R's
 * real vocabulary size, 250002 pieces, so that ids reach every row of a real-shape word table:
 * {@code <s>}=0, {@code <pad>}=1, {@code </s>}=2, {@code <unk>}=3, {@code <mask>}=250001 as in
 * XLM-R. The real sentencepiece vocabulary is not available offline; instead every word of the
 * given texts (as {@code ▁word}) and every character in them is a piece, spread evenly over the id
 * range, and the remaining ids are filler pieces no text contains. A word therefore becomes one
 * token, as most frequent words do in XLM-R.
 */
public final class LargeUnigramTokenizer {

    public static final int VOCAB_SIZE = 250002;
    public static final int MASK_ID = VOCAB_SIZE - 1;
    private static final String SPACE = "\u2581";
    private static final int FIRST_PIECE = 4;

    private LargeUnigramTokenizer() {}

    /** The vocabulary for {@code texts}: index = id. */
    public static List<String> vocabulary(Collection<String> texts) {
        Set<String> pieces = new LinkedHashSet<>();
        pieces.add(SPACE);
        for (String text : texts) {
            for (String word : text.split(" ")) {
                if (!word.isEmpty()) {
                    pieces.add(SPACE + word);
                }
            }
            text.codePoints().filter(c -> c != ' ').forEach(c -> pieces.add(Character.toString(c)));
        }
        List<String> real = new ArrayList<>(pieces);
        int slots = MASK_ID - FIRST_PIECE;
        String[] vocab = new String[VOCAB_SIZE];
        vocab[0] = "<s>";
        vocab[1] = "<pad>";
        vocab[2] = "</s>";
        vocab[3] = "<unk>";
        vocab[MASK_ID] = "<mask>";
        long stride = slots / real.size();
        for (int k = 0; k < real.size(); k++) {
            vocab[FIRST_PIECE + (int) (k * stride)] = real.get(k);
        }
        for (int id = FIRST_PIECE, filler = 0; id < MASK_ID; id++) {
            if (vocab[id] == null) {
                vocab[id] = SPACE + "qx" + Integer.toString(filler++, 36);
            }
        }
        return List.of(vocab);
    }

    /** tokenizer.json for {@link #vocabulary}; whole words score above their characters. */
    public static String json(List<String> vocabulary) {
        StringBuilder vocab = new StringBuilder(vocabulary.size() * 24);
        for (int id = 0; id < vocabulary.size(); id++) {
            String piece = vocabulary.get(id);
            double score = id < FIRST_PIECE || id == MASK_ID ? 0.0
                    : piece.startsWith(SPACE + "qx") ? -20.0
                    : piece.startsWith(SPACE) ? -2.0 : -8.0;
            vocab.append(id == 0 ? "" : ",").append('[').append(quoted(piece)).append(',').append(score).append(']');
        }
        StringBuilder added = new StringBuilder();
        int[] specialIds = {0, 1, 2, 3, MASK_ID};
        for (int id : specialIds) {
            added.append(added.length() == 0 ? "" : ",").append("{\"id\":").append(id).append(",\"content\":")
                    .append(quoted(vocabulary.get(id))).append(",\"single_word\":false,\"lstrip\":").append(id == MASK_ID)
                    .append(",\"rstrip\":false,\"normalized\":false,\"special\":true}");
        }
        return "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,"
                + "\"added_tokens\":[" + added + "],\"normalizer\":null,"
                + "\"pre_tokenizer\":{\"type\":\"Metaspace\",\"replacement\":\"" + SPACE + "\",\"prepend_scheme\":\"always\",\"split\":true},"
                + "\"post_processor\":{\"type\":\"RobertaProcessing\",\"sep\":[\"</s>\",2],\"cls\":[\"<s>\",0],\"trim_offsets\":true,\"add_prefix_space\":true},"
                + "\"decoder\":{\"type\":\"Metaspace\",\"replacement\":\"" + SPACE + "\",\"prepend_scheme\":\"always\",\"split\":true},"
                + "\"model\":{\"type\":\"Unigram\",\"unk_id\":3,\"vocab\":[" + vocab + "],\"byte_fallback\":false}}";
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> out.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }
}
