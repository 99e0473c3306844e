package io.embedserve.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.ModelResources;
import io.embedserve.testsupport.RealModel;
import io.embedserve.testsupport.RealModelFixture;
import io.embedserve.testsupport.Vectors;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service's token ids for the three real models (which share BERT's uncased WordPiece
 * vocabulary) against ids derived without any tokenizer code: the expected word pieces below were
 * worked out by hand from the rules of BERT's BasicTokenizer and WordPiece (clean the text, put
 * spaces around CJK characters, lower-case, NFD and drop combining marks, split off punctuation,
 * then greedy longest match against the vocabulary with "##" continuations, [UNK] for a word that
 * cannot be covered), and are turned into ids through the vocabulary table of each model's
 * tokenizer.json. Special tokens, lower-casing and truncation at max_seq_length from either end are
 * checked through the public embedding path.
 *
 * <p>Why not LangChain4j's tokenizer wrapper: it is DJL's HuggingFaceTokenizer over the same native
 * Hugging Face tokenizers library the service uses, so it would agree by construction, and it keeps
 * tokenizer.json's own truncation (128 for all-MiniLM-L6-v2, whose max_seq_length is 256), which is
 * exactly what sentence-transformers overrides. Hand-derived pieces share nothing with either.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealModelTokenIdsTest {

    private final Map<RealModel, SentenceModel> models = new EnumMap<>(RealModel.class);

    @AfterAll
    void close() {
        models.values().forEach(SentenceModel::close);
    }

    private synchronized SentenceModel model(RealModel real) {
        return models.computeIfAbsent(real, r -> SentenceModel.load(
                new ModelSnapshot(RealModelFixture.modelDirectory(r), r.hubId(), "local"), null));
    }

    private EmbeddingService service(RealModel real) {
        ModelHolder holder = new ModelHolder();
        holder.set(model(real));
        return new ModelEmbeddingService(holder, model(real));
    }

    static Stream<Arguments> hardCases() {
        List<Arguments> cases = new ArrayList<>();
        Map<String, String[]> pieces = Map.of(
                // accents go (NFD, combining marks dropped); "s'il" splits at the apostrophe
                "Café crème, s'il vous plaît.",
                new String[] {"cafe", "cr", "##eme", ",", "s", "'", "il", "vo", "##us", "pl", "##ai", "##t", "."},
                "naïve façade, Zürich", new String[] {"naive", "facade", ",", "zurich"},
                // ł is a letter of its own (no decomposition), so it survives as a piece
                "Zażółć gęślą jaźń.",
                new String[] {"za", "##zo", "##ł", "##c", "ge", "##sl", "##a", "ja", "##z", "##n", "."},
                // each CJK character is a word; 是 and 首 are not in the vocabulary
                "北京是中国的首都。", new String[] {"北", "京", "[UNK]", "中", "国", "的", "[UNK]", "都", "。"},
                // NFD turns Hangul syllables into conjoining jamo, which WordPiece then joins
                "안녕하세요", new String[] {"ᄋ", "##ᅡ", "##ᆫ", "##ᄂ", "##ᅧ", "##ᆼ", "##ᄒ", "##ᅡ", "##ᄉ", "##ᅦ", "##ᄋ", "##ᅭ"},
                // emoji are not in the vocabulary; the variation selector after ☀ is a combining mark
                "Good morning ☀️ have a nice day 😊",
                new String[] {"good", "morning", "[UNK]", "have", "a", "nice", "day", "[UNK]"},
                "I love pizza 🍕 and sushi 🍣!",
                new String[] {"i", "love", "pizza", "[UNK]", "and", "su", "##shi", "[UNK]", "!"},
                "UPPERCASE SENTENCE WITH SHOUTING", new String[] {"upper", "##case", "sentence", "with", "shouting"},
                "Москва — столица России.", new String[] {"м", "##о", "##с", "##к", "##в", "##а", "—", "с", "##т", "##о",
                        "##л", "##и", "##ц", "##а", "р", "##о", "##с", "##с", "##ии", "."});
        for (RealModel model : RealModel.values()) {
            pieces.forEach((text, expected) -> cases.add(Arguments.of(model, text, expected)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("hardCases")
    void idsOfHardTextsAreTheHandDerivedWordPieces(RealModel real, String text, String[] pieces) throws IOException {
        Map<String, Long> vocab = vocabulary(real);
        List<Long> expected = new ArrayList<>();
        expected.add(vocab.get("[CLS]"));
        for (String piece : pieces) {
            assertThat(vocab).as("piece %s", piece).containsKey(piece);
            expected.add(vocab.get(piece));
        }
        expected.add(vocab.get("[SEP]"));

        List<Token> tokens = service(real).tokenize(List.of(text), true, null).get(0);
        assertThat(tokens).extracting(Token::id).containsExactlyElementsOf(expected);
        assertThat(tokens.get(0).special()).isTrue();
        assertThat(tokens.get(tokens.size() - 1).special()).isTrue();
    }

    /**
     * 600 capitalised words that are whole-word entries of the vocabulary, so each is exactly one
     * token once lower-cased: [CLS] + 600 + [SEP] untruncated, and cut to max_seq_length by keeping
     * [CLS] and [SEP] and dropping words from the chosen end, as sentence-transformers' tokenizer
     * call does.
     */
    @ParameterizedTest
    @EnumSource(RealModel.class)
    void aSixHundredTokenTextIsCutAtMaxSeqLengthFromEitherEnd(RealModel real) throws IOException {
        Map<String, Long> vocab = vocabulary(real);
        Pattern word = Pattern.compile("[a-z]{4,}");
        List<String> words = vocab.entrySet().stream()
                .filter(e -> e.getValue() >= 2000 && word.matcher(e.getKey()).matches())
                .sorted(Map.Entry.comparingByValue()).limit(600).map(Map.Entry::getKey).toList();
        String text = String.join(" ", words.stream()
                .map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1)).toList());
        long cls = vocab.get("[CLS]");
        long sep = vocab.get("[SEP]");
        long[] all = words.stream().mapToLong(vocab::get).toArray();
        int keep = real.maxSeqLength() - 2;

        List<Token> untruncated = service(real).tokenize(List.of(text), true, null).get(0);
        assertThat(untruncated).extracting(Token::id).containsExactlyElementsOf(
                concat(cls, all, sep));

        long[] right = concat(cls, Arrays.copyOfRange(all, 0, keep), sep).stream().mapToLong(Long::longValue).toArray();
        long[] left = concat(cls, Arrays.copyOfRange(all, all.length - keep, all.length), sep).stream()
                .mapToLong(Long::longValue).toArray();
        assertSameEmbedding(real, text, TruncationDirection.RIGHT, right);
        assertSameEmbedding(real, text, TruncationDirection.LEFT, left);
    }

    /** The text cut from {@code direction} embeds exactly as the expected ids sent as ids. */
    private void assertSameEmbedding(RealModel real, String text, TruncationDirection direction, long[] expectedIds) {
        EmbedOptions cut = new EmbedOptions(true, true, direction, null, null);
        EmbeddingService service = service(real);
        float[] fromText = service.embed(List.of(EmbedInput.text(text)), cut).vectors().get(0);
        float[] fromIds = service.embed(List.of(new EmbedInput.TokenIds(expectedIds)), cut).vectors().get(0);
        assertThat(expectedIds).hasSize(real.maxSeqLength());
        Vectors.assertSameVector(direction + " cut", fromText, Vectors.toDouble(fromIds));
    }

    private static List<Long> concat(long first, long[] middle, long last) {
        List<Long> out = new ArrayList<>(middle.length + 2);
        out.add(first);
        IntStream.range(0, middle.length).forEach(i -> out.add(middle[i]));
        out.add(last);
        return out;
    }

    /** The WordPiece vocabulary table of the model's own tokenizer.json: piece to id. */
    private static Map<String, Long> vocabulary(RealModel real) throws IOException {
        JsonNode vocab = JsonMapper.shared().readTree(Files.readString(ModelResources.tokenizerJson(real)))
                .path("model").path("vocab");
        Map<String, Long> out = new java.util.HashMap<>();
        vocab.properties().forEach(e -> out.put(e.getKey(), e.getValue().longValue()));
        return out;
    }
}
