package io.embedserve.api;

import io.embedserve.inference.CrossEncoderInput;
import io.embedserve.inference.CrossEncoderService;
import io.embedserve.inference.EmbedInput;
import io.embedserve.inference.Embeddings;
import io.embedserve.inference.EmbeddingService;
import io.embedserve.inference.Scores;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The text-embeddings-inference routes that compute: /embed (also at / and /invocations),
 * /similarity, /tokenize, /decode, and the cross-encoder's /rerank and /predict. Each handler only
 * translates; the rules live in {@link
 * RequestValidator}, the errors in {@link ApiExceptionHandler}, the OpenAPI description in {@link
 * TeiApi}.
 */
@RestController
class TeiController implements TeiApi {

    private final EmbeddingService service;
    private final CrossEncoderService crossEncoders;
    private final RequestValidator requests;

    TeiController(EmbeddingService service, CrossEncoderService crossEncoders, RequestValidator requests) {
        this.service = service;
        this.crossEncoders = crossEncoders;
        this.requests = requests;
    }

    @PostMapping("/embed")
    @Override
    public ResponseEntity<List<float[]>> embed(@RequestBody JsonNode body) {
        long start = System.nanoTime();
        List<EmbedInput> inputs = requests.embedInputs(body, "inputs");
        Embeddings result = service.embed(inputs, requests.embedOptions(body));
        return ResponseEntity.ok().headers(ComputeHeaders.of(inputs, result, start)).body(result.vectors());
    }

    /**
     * TEI serves its predict route at / and /invocations too: /embed for an embedding model, /rerank
     * for a reranker and /predict for a classifier served alone. Hugging Face's JavaScript client
     * posts to the endpoint's base URL, SageMaker-style hosting to /invocations. Until the models
     * are loaded it is /embed's, which answers "not ready".
     */
    @PostMapping({"/", "/invocations"})
    @Override
    public ResponseEntity<?> predictRoute(@RequestBody JsonNode body) {
        if (service.served()) {
            return embed(body);
        }
        return crossEncoders.info().reranker() ? rerank(body) : predict(body);
    }

    /** Cosine of the source sentence with each sentence, from unnormalised vectors as TEI does. */
    @PostMapping("/similarity")
    @Override
    public ResponseEntity<List<Float>> similarity(@RequestBody JsonNode body) {
        long start = System.nanoTime();
        List<EmbedInput> inputs = requests.similarityInputs(body);
        Embeddings result = service.embed(inputs, requests.similarityOptions(body));
        float[] source = result.vectors().get(0);
        List<Float> scores = new ArrayList<>(inputs.size() - 1);
        for (int i = 1; i < result.vectors().size(); i++) {
            scores.add(Vectors.cosine(source, result.vectors().get(i)));
        }
        return ResponseEntity.ok().headers(ComputeHeaders.of(inputs, result, start)).body(scores);
    }

    @PostMapping("/tokenize")
    @Override
    public List<List<TeiToken>> tokenize(@RequestBody JsonNode body) {
        List<String> texts = requests.texts(body, "inputs");
        boolean addSpecialTokens = JsonFields.bool(body, "add_special_tokens", true);
        String promptName = JsonFields.string(body, "prompt_name");
        return service.tokenize(texts, addSpecialTokens, promptName).stream()
                .map(tokens -> tokens.stream().map(TeiToken::of).toList())
                .toList();
    }

    @PostMapping("/decode")
    @Override
    public List<String> decode(@RequestBody JsonNode body) {
        List<long[]> idLists = requests.idLists(body, "ids");
        boolean skipSpecialTokens = JsonFields.bool(body, "skip_special_tokens", true);
        return idLists.stream().map(ids -> service.decode(ids, skipSpecialTokens)).toList();
    }

    /** Each text scored against the query by the cross-encoder, best first. */
    @PostMapping("/rerank")
    @Override
    public ResponseEntity<List<TeiScores.Rank>> rerank(@RequestBody JsonNode body) {
        long start = System.nanoTime();
        String query = requests.rerankQuery(body);
        List<String> texts = requests.rerankTexts(body);
        boolean returnText = JsonFields.bool(body, "return_text", false);
        Scores result = crossEncoders.rerank(query, texts, requests.scoreOptions(body));
        List<CrossEncoderInput> pairs = texts.stream()
                .<CrossEncoderInput>map(text -> new CrossEncoderInput.Pair(query, text)).toList();
        return ResponseEntity.ok().headers(ComputeHeaders.ofScores(pairs, result, start))
                .body(TeiScores.ranks(texts, result, returnText));
    }

    /** Every label's score for a text or a pair, best first; a batch gets one such list per input. */
    @PostMapping("/predict")
    @Override
    public ResponseEntity<Object> predict(@RequestBody JsonNode body) {
        long start = System.nanoTime();
        CrossEncoderInputs.PredictInputs inputs = requests.predictInputs(body);
        Scores result = crossEncoders.predict(inputs.inputs(), requests.scoreOptions(body));
        List<List<TeiScores.Prediction>> predictions = result.scores().stream()
                .map(row -> TeiScores.predictions(row, result.labels())).toList();
        return ResponseEntity.ok().headers(ComputeHeaders.ofScores(inputs.inputs(), result, start))
                .body(inputs.batch() ? predictions : predictions.get(0));
    }
}
