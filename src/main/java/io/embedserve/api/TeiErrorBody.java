package io.embedserve.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.embedserve.error.ErrorKind;
import io.swagger.v3.oas.annotations.media.Schema;

/** TEI's error document: {@code {"error": "...", "error_type": "Validation"}}. */
@Schema(name = TeiErrorBody.SCHEMA, description = "TEI's error document")
record TeiErrorBody(
        @Schema(description = "What went wrong, for a person", requiredMode = Schema.RequiredMode.REQUIRED) String error,
        @JsonProperty("error_type")
        @Schema(description = "TEI's error kind (its ErrorType variant name)", requiredMode = Schema.RequiredMode.REQUIRED)
        String errorType) {

    static final String SCHEMA = "TeiError";

    static TeiErrorBody of(ErrorKind kind, String message) {
        return new TeiErrorBody(message, kind.wireName());
    }
}
