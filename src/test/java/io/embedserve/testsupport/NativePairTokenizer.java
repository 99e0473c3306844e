package io.embedserve.testsupport;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Hugging Face tokenizers library truncating a pair itself, as transformers' fast tokenizer does
 * for sentence-transformers' CrossEncoder ({@code truncation=True}): a copy of the model's
 * tokenizer.json whose truncation block says LongestFirst at {@code maxLength}, from the given end.
 * The reference for the service's own pair truncation.
 */
public final class NativePairTokenizer implements AutoCloseable {

    /** A pair as the library laid it out. */
    public record Pair(long[] ids, long[] typeIds) {}

    private final HuggingFaceTokenizer tokenizer;

    private NativePairTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** @param direction "Right" or "Left", as tokenizer.json spells it */
    public static NativePairTokenizer of(Path tokenizerJson, int maxLength, String direction) {
        try {
            ObjectNode json = (ObjectNode) JsonMapper.shared().readTree(Files.readString(tokenizerJson));
            json.putObject("truncation").put("direction", direction).put("max_length", maxLength)
                    .put("strategy", "LongestFirst").put("stride", 0);
            json.putNull("padding");
            Path copy = Files.createTempFile("native-pair-tokenizer", ".json");
            copy.toFile().deleteOnExit();
            Files.writeString(copy, json.toString());
            return new NativePairTokenizer(HuggingFaceTokenizer.newInstance(copy, Map.of()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Pair encode(String first, String second) {
        Encoding encoding = tokenizer.encode(first, second, true, false);
        return new Pair(encoding.getIds(), encoding.getTypeIds());
    }

    /** One text alone, with the tokenizer's single-sequence template, cut the same way. */
    public Pair encode(String text) {
        Encoding encoding = tokenizer.encode(text, true, false);
        return new Pair(encoding.getIds(), encoding.getTypeIds());
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
