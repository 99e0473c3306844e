package io.embedserve.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.embedserve.error.ErrorKind;

/** TEI's error document: {@code {"error": "...", "error_type": "Validation"}}. */
record TeiErrorBody(String error, @JsonProperty("error_type") String errorType) {

    static TeiErrorBody of(ErrorKind kind, String message) {
        return new TeiErrorBody(message, kind.wireName());
    }
}
