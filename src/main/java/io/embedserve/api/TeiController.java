package io.embedserve.api;

import io.embedserve.inference.EmbedInput;
import io.embedserve.inference.EmbedOptions;
import io.embedserve.inference.Embeddings;
import io.embedserve.inference.EmbeddingService;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The text-embeddings-inference routes that compute: /embed, /similarity, /tokenize, /decode. Each
 * handler only translates; the rules live in {@link RequestValidator}, the errors in {@link
 * ApiExceptionHandler}.
 */
@RestController
class TeiController {

    private final EmbeddingService service;
    private final RequestValidator requests;

    TeiController(EmbeddingService service, RequestValidator requests) {
        this.service = service;
        this.requests = requests;
    }

    @PostMapping("/embed")
    ResponseEntity<List<float[]>> embed(@RequestBody JsonNode body) {
        long start = System.nanoTime();
        List<EmbedInput> inputs = requests.embedInputs(body, "inputs");
        Embeddings result = service.embed(inputs, requests.embedOptions(body));
        return ResponseEntity.ok().headers(ComputeHeaders.of(inputs, result, start)).body(result.vectors());
    }

    /** Cosine of the source sentence with each sentence, from unnormalised vectors as TEI does. */
    @PostMapping("/similarity")
    ResponseEntity<List<Float>> similarity(@RequestBody JsonNode body) {
        long start = System.nanoTime();
        JsonNode pair = JsonFields.requireObject(JsonFields.requireObject(body, "Request body").path("inputs"), "`inputs`");
        List<EmbedInput> inputs = new ArrayList<>();
        inputs.add(new EmbedInput.Text(InputsParser.text(pair.path("source_sentence"), "inputs.source_sentence")));
        List<String> sentences = InputsParser.texts(pair.path("sentences"), "inputs.sentences");
        sentences.forEach(s -> inputs.add(new EmbedInput.Text(s)));
        requests.checkBatchSize(inputs);

        JsonNode parameters = body.path("parameters");
        if (!JsonFields.absent(parameters)) {
            JsonFields.requireObject(parameters, "`parameters`");
        }
        EmbedOptions options = new EmbedOptions(false, requests.truncate(parameters),
                JsonFields.direction(parameters, "truncation_direction"), null,
                JsonFields.string(parameters, "prompt_name"));
        Embeddings result = service.embed(inputs, options);

        float[] source = result.vectors().get(0);
        List<Float> scores = new ArrayList<>(sentences.size());
        for (int i = 1; i < result.vectors().size(); i++) {
            scores.add(Vectors.cosine(source, result.vectors().get(i)));
        }
        return ResponseEntity.ok().headers(ComputeHeaders.of(inputs, result, start)).body(scores);
    }

    @PostMapping("/tokenize")
    List<List<TeiToken>> tokenize(@RequestBody JsonNode body) {
        List<String> texts = requests.texts(body, "inputs");
        boolean addSpecialTokens = JsonFields.bool(body, "add_special_tokens", true);
        String promptName = JsonFields.string(body, "prompt_name");
        return service.tokenize(texts, addSpecialTokens, promptName).stream()
                .map(tokens -> tokens.stream().map(TeiToken::of).toList())
                .toList();
    }

    @PostMapping("/decode")
    List<String> decode(@RequestBody JsonNode body) {
        List<long[]> idLists = requests.idLists(body, "ids");
        boolean skipSpecialTokens = JsonFields.bool(body, "skip_special_tokens", true);
        return idLists.stream().map(ids -> service.decode(ids, skipSpecialTokens)).toList();
    }
}
