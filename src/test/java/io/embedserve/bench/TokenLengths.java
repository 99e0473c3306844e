package io.embedserve.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How many tokens of each text the two implementations embed. The service cuts at the model's
 * max_seq_length (sentence_bert_config.json, as sentence-transformers does: 256 for
 * all-MiniLM-L6-v2); LangChain4j keeps the truncation that tokenizer.json itself declares (128
 * for the same model). Texts between the two limits are therefore not the same work on both
 * sides, and their vectors differ by design.
 */
record TokenLengths(List<Integer> untruncated, int tokenizerLimit, int maxSeqLength) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Every text's length with special tokens and no truncation, by the model directory's own tokenizer. */
    static TokenLengths of(Path modelDir, List<String> texts) {
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                .optTokenizerPath(modelDir.resolve("tokenizer.json")).optTruncation(false).optPadding(false).build()) {
            List<Integer> lengths = texts.stream().map(t -> tokenizer.encode(t).getIds().length).toList();
            JsonNode truncation = JSON.readTree(modelDir.resolve("tokenizer.json").toFile()).path("truncation");
            int tokenizerLimit = truncation.isObject() ? truncation.path("max_length").asInt() : Integer.MAX_VALUE;
            int maxSeqLength = JSON.readTree(modelDir.resolve("sentence_bert_config.json").toFile()).path("max_seq_length").asInt();
            return new TokenLengths(lengths, tokenizerLimit, maxSeqLength);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokenizer in " + modelDir, e);
        }
    }

    /** The longest text both sides embed whole. */
    int commonLimit() {
        return Math.min(tokenizerLimit, maxSeqLength);
    }

    double meanTokens(int limit) {
        return untruncated.stream().mapToInt(n -> Math.min(n, limit)).average().orElse(Double.NaN);
    }

    long longerThan(int limit) {
        return untruncated.stream().filter(n -> n > limit).count();
    }

    String describe() {
        return String.format(Locale.ROOT, "%d of %d texts exceed %d tokens: EmbedServe embeds up to %d tokens of a text"
                        + " (max_seq_length), LangChain4j and so the HTTP peer up to %d (tokenizer.json's truncation);"
                        + " mean tokens per text %.1f for EmbedServe, %.1f for LangChain4j",
                longerThan(commonLimit()), untruncated.size(), commonLimit(), maxSeqLength, tokenizerLimit,
                meanTokens(maxSeqLength), meanTokens(tokenizerLimit));
    }
}
