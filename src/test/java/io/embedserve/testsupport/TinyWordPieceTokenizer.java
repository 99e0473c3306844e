package io.embedserve.testsupport;

import java.util.ArrayList;
import java.util.List;

/**
 * Small tokenizer.json files in the WordPiece layouts the Hub's BERT-derived models ship: BERT's
 * (DistilBERT, LaBSE, BERT cross-encoders: {@code [PAD]}=0, {@code [UNK]}=100, {@code [CLS]}=101,
 * {@code [SEP]}=102, {@code [MASK]}=103, a TemplateProcessing post-processor that gives the second
 * text of a pair token type 1) and MPNet's ({@code <s>}=0, {@code <pad>}=1, {@code </s>}=2,
 * {@code <unk>}=3, {@code [UNK]}=104 as WordPiece's unknown token, {@code <mask>} last, and
 * RobertaProcessing: {@code <s> A </s>}, pairs {@code <s> A </s></s> B </s>}). Both use a
 * BertNormalizer and the BertPreTokenizer. The vocabulary holds a few whole words, every ASCII letter
 * and digit alone and as a {@code ##} continuation, so that any lower-case ASCII text tokenizes.
 */
public final class TinyWordPieceTokenizer {

    private static final List<String> WORDS = List.of("the", "a", "hello", "world", "cat", "sat", "on", "mat", "is",
            "good", "day", "query", "passage", "what", "where", "capital", "paris", "france", "of", "city");

    private final List<String> vocab;
    private final String json;

    private TinyWordPieceTokenizer(List<String> vocab, String json) {
        this.vocab = List.copyOf(vocab);
        this.json = json;
    }

    /** BERT's layout; {@code lowercase} as BertNormalizer (false for the cased multilingual models). */
    public static TinyWordPieceTokenizer bert(boolean lowercase) {
        List<String> vocab = new ArrayList<>();
        vocab.add("[PAD]");
        for (int i = 1; i < 100; i++) {
            vocab.add("[unused" + (i - 1) + "]");
        }
        vocab.addAll(List.of("[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        addPieces(vocab, lowercase);
        String added = addedToken(0, "[PAD]") + "," + addedToken(100, "[UNK]") + "," + addedToken(101, "[CLS]") + ","
                + addedToken(102, "[SEP]") + "," + addedToken(103, "[MASK]");
        String processor = "{\"type\":\"TemplateProcessing\","
                + "\"single\":[{\"SpecialToken\":{\"id\":\"[CLS]\",\"type_id\":0}},{\"Sequence\":{\"id\":\"A\",\"type_id\":0}},"
                + "{\"SpecialToken\":{\"id\":\"[SEP]\",\"type_id\":0}}],"
                + "\"pair\":[{\"SpecialToken\":{\"id\":\"[CLS]\",\"type_id\":0}},{\"Sequence\":{\"id\":\"A\",\"type_id\":0}},"
                + "{\"SpecialToken\":{\"id\":\"[SEP]\",\"type_id\":0}},{\"Sequence\":{\"id\":\"B\",\"type_id\":1}},"
                + "{\"SpecialToken\":{\"id\":\"[SEP]\",\"type_id\":1}}],"
                + "\"special_tokens\":{\"[CLS]\":{\"id\":\"[CLS]\",\"ids\":[101],\"tokens\":[\"[CLS]\"]},"
                + "\"[SEP]\":{\"id\":\"[SEP]\",\"ids\":[102],\"tokens\":[\"[SEP]\"]}}}";
        return new TinyWordPieceTokenizer(vocab, json(vocab, added, processor, lowercase));
    }

    /** MPNet's layout (all-mpnet-base-v2, multi-qa-mpnet-base-dot-v1): lower-cased. */
    public static TinyWordPieceTokenizer mpnet() {
        List<String> vocab = new ArrayList<>(List.of("<s>", "<pad>", "</s>", "<unk>"));
        for (int i = 4; i < 104; i++) {
            vocab.add(i == 4 ? "[PAD]" : "[unused" + (i - 5) + "]");
        }
        vocab.add("[UNK]");
        addPieces(vocab, true);
        vocab.add("<mask>");
        String added = addedToken(0, "<s>") + "," + addedToken(1, "<pad>") + "," + addedToken(2, "</s>") + ","
                + addedToken(3, "<unk>") + "," + addedToken(104, "[UNK]") + "," + addedToken(vocab.size() - 1, "<mask>");
        String processor = "{\"type\":\"RobertaProcessing\",\"sep\":[\"</s>\",2],\"cls\":[\"<s>\",0],"
                + "\"trim_offsets\":true,\"add_prefix_space\":false}";
        return new TinyWordPieceTokenizer(vocab, json(vocab, added, processor, true));
    }

    /** The number of entries: config.json's vocab_size for a model using this tokenizer. */
    public int vocabSize() {
        return vocab.size();
    }

    public String json() {
        return json;
    }

    private static void addPieces(List<String> vocab, boolean lowercase) {
        vocab.addAll(WORDS);
        List<String> characters = new ArrayList<>();
        for (char c = 'a'; c <= 'z'; c++) {
            characters.add(String.valueOf(c));
            if (!lowercase) {
                characters.add(String.valueOf(Character.toUpperCase(c)));
            }
        }
        for (char c = '0'; c <= '9'; c++) {
            characters.add(String.valueOf(c));
        }
        vocab.addAll(characters);
        vocab.addAll(List.of(".", ",", "?", "!", "'"));
        for (String c : characters) {
            vocab.add("##" + c);
        }
    }

    private static String addedToken(int id, String content) {
        return "{\"id\":" + id + ",\"content\":\"" + content + "\",\"single_word\":false,\"lstrip\":false,"
                + "\"rstrip\":false,\"normalized\":false,\"special\":true}";
    }

    private static String json(List<String> vocab, String added, String processor, boolean lowercase) {
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < vocab.size(); i++) {
            entries.append(i == 0 ? "" : ",").append('"').append(vocab.get(i)).append("\":").append(i);
        }
        return "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,"
                + "\"added_tokens\":[" + added + "],"
                + "\"normalizer\":{\"type\":\"BertNormalizer\",\"clean_text\":true,\"handle_chinese_chars\":true,"
                + "\"strip_accents\":null,\"lowercase\":" + lowercase + "},"
                + "\"pre_tokenizer\":{\"type\":\"BertPreTokenizer\"},"
                + "\"post_processor\":" + processor + ","
                + "\"decoder\":{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true},"
                + "\"model\":{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\",\"continuing_subword_prefix\":\"##\","
                + "\"max_input_chars_per_word\":100,\"vocab\":{" + entries + "}}}";
    }
}
