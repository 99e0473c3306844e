package io.embedserve.api;

import io.embedserve.error.ValidationException;
import io.embedserve.inference.TruncationDirection;
import tools.jackson.databind.JsonNode;

/**
 * Reads the optional scalar fields of a request object, strictly: a field that is present must
 * have the right JSON type (no "true" for true, no 1.5 for an integer). An absent field or a JSON
 * null means "use the default", as TEI's {@code Option} fields do. Unknown fields are ignored, as
 * TEI ignores them.
 */
final class JsonFields {

    private JsonFields() {}

    static JsonNode requireObject(JsonNode body, String what) {
        if (body == null || !body.isObject()) {
            String got = body == null ? "nothing" : InputsParser.describe(body);
            throw new ValidationException(what + " must be a JSON object, got " + got);
        }
        return body;
    }

    static boolean bool(JsonNode object, String name, boolean fallback) {
        JsonNode node = object.path(name);
        if (absent(node)) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw InputsParser.wrongType(name, "true or false", node);
        }
        return node.booleanValue();
    }

    static Integer integer(JsonNode object, String name) {
        JsonNode node = object.path(name);
        if (absent(node)) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw InputsParser.wrongType(name, "an integer", node);
        }
        return node.intValue();
    }

    static String string(JsonNode object, String name) {
        JsonNode node = object.path(name);
        if (absent(node)) {
            return null;
        }
        if (!node.isString()) {
            throw InputsParser.wrongType(name, "a string", node);
        }
        return node.stringValue();
    }

    /** TEI accepts "right", "Right", "left" and "Left"; the default is right. */
    static TruncationDirection direction(JsonNode object, String name) {
        String value = string(object, name);
        if (value == null) {
            return TruncationDirection.RIGHT;
        }
        return switch (value) {
            case "right", "Right" -> TruncationDirection.RIGHT;
            case "left", "Left" -> TruncationDirection.LEFT;
            default -> throw new ValidationException(
                    "`" + name + "` must be \"right\" or \"left\", got \"" + value + "\"");
        };
    }

    static boolean absent(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull();
    }
}
