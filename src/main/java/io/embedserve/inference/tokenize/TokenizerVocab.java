package io.embedserve.inference.tokenize;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads from tokenizer.json how many characters a single token can cover, which bounds how much
 * of a long text must be tokenized before truncation (io.embedserve.inference.BoundedTokenization).
 * It streams the file (an XLM-R tokenizer.json is 17 MB) and looks at the {@code model} object
 * only: its vocabulary (a {token: id} object for WordPiece, BPE and WordLevel, a list of
 * [piece, score] for Unigram) and WordPiece's {@code max_input_chars_per_word}.
 */
final class TokenizerVocab {

    /** The word-piece markers that are not characters of the text. */
    private static final String[] MARKERS = {"##", "\u2581", "\u0120"};

    private TokenizerVocab() {}

    static int longestTokenChars(Path tokenizerJson) throws IOException {
        try (InputStream in = Files.newInputStream(tokenizerJson);
                JsonParser parser = JsonMapper.builder().build().createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (name.equals("model") && parser.currentToken() == JsonToken.START_OBJECT) {
                    return longestInModel(parser);
                }
                parser.skipChildren();
            }
        }
        throw new IOException("tokenizer.json has no \"model\" object");
    }

    private static int longestInModel(JsonParser parser) {
        int longest = 1;
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (name.equals("max_input_chars_per_word") && value.isNumeric()) {
                longest = Math.max(longest, parser.getIntValue());
            } else if (name.equals("vocab") && value == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    longest = Math.max(longest, chars(parser.currentName()));
                    parser.nextToken();
                }
            } else if (name.equals("vocab") && value == JsonToken.START_ARRAY) {
                while (parser.nextToken() == JsonToken.START_ARRAY) {
                    parser.nextToken();
                    longest = Math.max(longest, chars(parser.getString()));
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        parser.skipChildren();
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
        return longest;
    }

    private static int chars(String piece) {
        String text = piece;
        for (String marker : MARKERS) {
            text = text.replace(marker, "");
        }
        return Math.max(1, text.codePointCount(0, text.length()));
    }
}
