package io.embedserve.api;

import io.embedserve.error.ValidationException;
import io.embedserve.inference.EmbedInput;
import io.embedserve.inference.Embeddings;
import io.embedserve.inference.EmbeddingService;
import java.util.List;
import java.util.function.Function;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * OpenAI's POST /v1/embeddings, also at POST /embeddings as TEI serves it. Same rules as the TEI
 * routes ({@link RequestValidator}); errors on both paths come back in OpenAI's shape because
 * {@link ApiDialect} goes by the path. The OpenAPI description is in {@link OpenAiApi}.
 */
@RestController
class OpenAiController implements OpenAiApi {

    private final EmbeddingService service;
    private final RequestValidator requests;

    OpenAiController(EmbeddingService service, RequestValidator requests) {
        this.service = service;
        this.requests = requests;
    }

    @PostMapping({ApiDialect.OPENAI_PREFIX + "embeddings", ApiDialect.OPENAI_ALIAS})
    @Override
    public ResponseEntity<OpenAiEmbeddingsResponse> embeddings(@RequestBody JsonNode body) {
        long start = System.nanoTime();
        List<EmbedInput> inputs = requests.embedInputs(body, "input");
        Function<float[], Object> encoding = encoding(JsonFields.string(body, "encoding_format"));
        String model = JsonFields.string(body, "model");
        // Not used, but read as TEI and OpenAI read it: a "user" that is not a string is a 422, not ignored.
        JsonFields.string(body, "user");
        Embeddings result = service.embed(inputs, requests.openAiOptions(body));

        List<Object> embeddings = result.vectors().stream().map(encoding).toList();
        String echoed = model != null ? model : service.info().servedModelName();
        return ResponseEntity.ok()
                .headers(ComputeHeaders.of(inputs, result, start))
                .body(OpenAiEmbeddingsResponse.of(embeddings, echoed, result.promptTokens()));
    }

    private static Function<float[], Object> encoding(String format) {
        if (format == null || format.equals("float")) {
            return vector -> vector;
        }
        if (format.equals("base64")) {
            return Vectors::base64;
        }
        throw new ValidationException("`encoding_format` must be \"float\" or \"base64\", got \"" + format + "\"");
    }
}
