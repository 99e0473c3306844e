package io.embedserve.api;

import io.embedserve.error.EmptyInputException;
import io.embedserve.error.ValidationException;
import io.embedserve.inference.EmbedInput;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Turns the {@code inputs} / {@code input} / {@code ids} value of a request into domain inputs,
 * with TEI's shapes: a string, a list of strings, one list of token ids, or a list whose items are
 * strings or lists of token ids. Empty things are a 400 (TEI's "Empty"); every other wrong shape
 * is a 422 that names the field and the index.
 */
final class InputsParser {

    /** TEI reads token ids as u32. Whether an id is inside the vocabulary is the tokenizer's call. */
    static final long MAX_TOKEN_ID = 0xFFFF_FFFFL;

    private InputsParser() {}

    /** {@code "text"}, {@code ["a","b"]}, {@code [1,2,3]} (one input) or {@code [[1,2],"c"]}. */
    static List<EmbedInput> embedInputs(JsonNode value, String field) {
        requirePresent(value, field);
        if (value.isString()) {
            return List.of(new EmbedInput.Text(text(value, field)));
        }
        if (!value.isArray()) {
            throw wrongType(field, "a string, a list of strings or a list of token ids", value);
        }
        requireNonEmpty(value, field);
        if (value.get(0).isNumber()) {
            return List.of(new EmbedInput.TokenIds(ids(value, field)));
        }
        List<EmbedInput> inputs = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String name = field + "[" + i + "]";
            if (item.isString()) {
                inputs.add(new EmbedInput.Text(text(item, name)));
            } else if (item.isArray()) {
                inputs.add(new EmbedInput.TokenIds(ids(item, name)));
            } else {
                throw wrongType(name, "a string or a list of token ids", item);
            }
        }
        return inputs;
    }

    /** {@code "text"} or {@code ["a","b"]}, as {@code /tokenize} takes. */
    static List<String> texts(JsonNode value, String field) {
        requirePresent(value, field);
        if (value.isString()) {
            return List.of(text(value, field));
        }
        if (!value.isArray()) {
            throw wrongType(field, "a string or a list of strings", value);
        }
        requireNonEmpty(value, field);
        List<String> texts = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            String name = field + "[" + i + "]";
            JsonNode item = value.get(i);
            if (!item.isString()) {
                throw wrongType(name, "a string", item);
            }
            texts.add(text(item, name));
        }
        return texts;
    }

    /** {@code [1,2]} or {@code [[1,2],[3]]}, as {@code /decode} takes. */
    static List<long[]> idLists(JsonNode value, String field) {
        requirePresent(value, field);
        if (!value.isArray()) {
            throw wrongType(field, "a list of token ids or a list of lists of token ids", value);
        }
        requireNonEmpty(value, field);
        if (!value.get(0).isArray()) {
            return List.of(ids(value, field));
        }
        List<long[]> lists = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            String name = field + "[" + i + "]";
            JsonNode item = value.get(i);
            if (!item.isArray()) {
                throw wrongType(name, "a list of token ids", item);
            }
            lists.add(ids(item, name));
        }
        return lists;
    }

    /** A non-empty string, a message naming {@code field} otherwise. */
    static String text(JsonNode node, String field) {
        String text = string(node, field);
        if (text.isEmpty()) {
            throw new EmptyInputException("`" + field + "` cannot be empty");
        }
        return text;
    }

    /**
     * A string, possibly empty: one side of a cross-encoder's pair may be empty (TEI refuses a pair
     * only when both sides are).
     */
    static String string(JsonNode node, String field) {
        requirePresent(node, field);
        if (!node.isString()) {
            throw wrongType(field, "a string", node);
        }
        String text = node.stringValue();
        int bad = unpairedSurrogate(text);
        if (bad >= 0) {
            // JSON escapes can spell a lone surrogate ("\ud800"); no tokenizer can encode it.
            throw new ValidationException("`" + field + "` is not valid Unicode: unpaired surrogate at char " + bad);
        }
        return text;
    }

    private static long[] ids(JsonNode array, String field) {
        requireNonEmpty(array, field);
        long[] ids = new long[array.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = array.get(i);
            if (!id.isIntegralNumber() || !id.canConvertToLong() || id.longValue() < 0 || id.longValue() > MAX_TOKEN_ID) {
                throw wrongType(field + "[" + i + "]", "a token id (an integer from 0 to " + MAX_TOKEN_ID + ")", id);
            }
            ids[i] = id.longValue();
        }
        return ids;
    }

    static void requirePresent(JsonNode value, String field) {
        if (JsonFields.absent(value)) {
            throw new ValidationException("missing field `" + field + "`");
        }
    }

    static void requireNonEmpty(JsonNode array, String field) {
        if (array.isEmpty()) {
            throw new EmptyInputException("`" + field + "` cannot be empty");
        }
    }

    private static int unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    static ValidationException wrongType(String field, String expected, JsonNode got) {
        return new ValidationException("`" + field + "` must be " + expected + ", got " + describe(got));
    }

    static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case ARRAY -> "a list";
            case OBJECT, POJO -> "an object";
            case BOOLEAN -> "a boolean (" + node.booleanValue() + ")";
            case NULL -> "null";
            case MISSING -> "nothing";
            case NUMBER -> "the number " + node.asString();
            case BINARY -> "binary data";
        };
    }
}
