package io.embedserve.api;

import io.embedserve.config.ServingProperties;
import io.embedserve.error.ValidationException;
import io.embedserve.inference.EmbedInput;
import io.embedserve.inference.EmbedOptions;
import io.embedserve.inference.ScoreOptions;
import io.embedserve.inference.TruncationDirection;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The request rules every dialect shares, applied once: input shapes ({@link InputsParser}), the
 * field types and the client batch limit. Rules that need the model (input too long with
 * truncation off, unknown prompt name, {@code dimensions} beyond the hidden size, ids outside the
 * vocabulary) are the service's; it throws ValidationException for them and the error mapping
 * does the rest.
 */
@Component
class RequestValidator {

    private final ServingProperties limits;

    RequestValidator(ServingProperties limits) {
        this.limits = limits;
    }

    List<EmbedInput> embedInputs(JsonNode body, String field) {
        return checkBatchSize(InputsParser.embedInputs(JsonFields.requireObject(body, "Request body").path(field), field));
    }

    List<String> texts(JsonNode body, String field) {
        return checkBatchSize(InputsParser.texts(JsonFields.requireObject(body, "Request body").path(field), field));
    }

    List<long[]> idLists(JsonNode body, String field) {
        return checkBatchSize(InputsParser.idLists(JsonFields.requireObject(body, "Request body").path(field), field));
    }

    /*
     * The options readers below run after the inputs reader of the same route, which has already
     * refused a body that is not a JSON object.
     */

    /** TEI's /embed options: normalize (default true), truncate, direction, dimensions, prompt. */
    EmbedOptions embedOptions(JsonNode body) {
        return new EmbedOptions(
                JsonFields.bool(body, "normalize", true),
                truncate(body),
                JsonFields.direction(body, "truncation_direction"),
                JsonFields.integer(body, "dimensions"),
                JsonFields.string(body, "prompt_name"));
    }

    /** OpenAI's vectors are unit length; truncation follows AUTO_TRUNCATE, from the right end. */
    EmbedOptions openAiOptions(JsonNode body) {
        return new EmbedOptions(true, limits.autoTruncate(), TruncationDirection.RIGHT,
                JsonFields.integer(body, "dimensions"), null);
    }

    /** {"inputs": {"source_sentence": s, "sentences": [...]}}: the source first, then each sentence. */
    List<EmbedInput> similarityInputs(JsonNode body) {
        JsonNode pair = JsonFields.requireObject(JsonFields.requireObject(body, "Request body").path("inputs"), "`inputs`");
        List<EmbedInput> inputs = new ArrayList<>();
        inputs.add(new EmbedInput.Text(InputsParser.text(pair.path("source_sentence"), "inputs.source_sentence")));
        for (String sentence : InputsParser.texts(pair.path("sentences"), "inputs.sentences")) {
            inputs.add(new EmbedInput.Text(sentence));
        }
        return checkBatchSize(inputs);
    }

    /** TEI's /similarity takes its options under "parameters" and never normalises (cosine does). */
    EmbedOptions similarityOptions(JsonNode body) {
        JsonNode parameters = body.path("parameters");
        if (!JsonFields.absent(parameters)) {
            JsonFields.requireObject(parameters, "`parameters`");
        }
        return new EmbedOptions(false, truncate(parameters),
                JsonFields.direction(parameters, "truncation_direction"), null,
                JsonFields.string(parameters, "prompt_name"));
    }

    /** TEI's /rerank query: a string, which may be empty (only a pair with both sides empty is refused). */
    String rerankQuery(JsonNode body) {
        return InputsParser.string(JsonFields.requireObject(body, "Request body").path("query"), "query");
    }

    /** TEI's /rerank texts, one pair each with the query, at most max_client_batch_size of them. */
    List<String> rerankTexts(JsonNode body) {
        return checkBatchSize(CrossEncoderInputs.strings(JsonFields.requireObject(body, "Request body").path("texts"),
                "texts"));
    }

    /** TEI's /predict inputs; a batch counts against max_client_batch_size as /embed's inputs do. */
    CrossEncoderInputs.PredictInputs predictInputs(JsonNode body) {
        CrossEncoderInputs.PredictInputs inputs =
                CrossEncoderInputs.predictInputs(JsonFields.requireObject(body, "Request body").path("inputs"), "inputs");
        checkBatchSize(inputs.inputs());
        return inputs;
    }

    /** /rerank's and /predict's options: raw_scores (default false), truncate, truncation_direction. */
    ScoreOptions scoreOptions(JsonNode body) {
        return new ScoreOptions(JsonFields.bool(body, "raw_scores", false), truncate(body),
                JsonFields.direction(body, "truncation_direction"));
    }

    /**
     * A request's "truncate", or AUTO_TRUNCATE when it has none. Ours defaults to on (cut at
     * max_seq_length, as sentence-transformers does), where TEI's --auto-truncate defaults to off: a
     * TEI deployment that relies on the refusal sets AUTO_TRUNCATE=false.
     */
    private boolean truncate(JsonNode object) {
        return JsonFields.bool(object, "truncate", limits.autoTruncate());
    }

    /**
     * TEI's rule and message; the opt-in split leaves the cutting into batches to the service. A
     * split request is still admitted whole (counted per input), so one of more inputs than
     * MAX_CONCURRENT_REQUESTS could never fit: that is a 422 at once, not a 429 forever.
     */
    <T> List<T> checkBatchSize(List<T> inputs) {
        int max = limits.maxClientBatchSize();
        if (inputs.size() > max && !limits.splitClientBatches()) {
            throw new ValidationException("batch size " + inputs.size() + " > maximum allowed batch size " + max
                    + " (MAX_CLIENT_BATCH_SIZE; or set AUTO_SPLIT=true to let the server split it)");
        }
        if (inputs.size() > limits.maxConcurrentRequests()) {
            throw new ValidationException("batch size " + inputs.size() + " > " + limits.maxConcurrentRequests()
                    + " inputs the service admits at once (MAX_CONCURRENT_REQUESTS): it can never be served;"
                    + " send it in smaller requests");
        }
        return inputs;
    }
}
