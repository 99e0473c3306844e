package io.embedserve.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.inference.TruncationDirection;
import io.embedserve.inference.tokenize.TextTokenizer;
import io.embedserve.inference.tokenize.Truncation;
import io.embedserve.testsupport.HttpJson;
import io.embedserve.testsupport.MiniLmFixture;
import io.embedserve.testsupport.OnnxReference;
import io.embedserve.testsupport.Vectors;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every kind of bad request against the real service, each with its exact status and error body
 * (or, for a request that only looks bad, the route's own answer), then proof that the service
 * still embeds as the ONNX reference does. The cases are one table ({@link #CASES}); the same table
 * is written to {@code target/faults/bad-inputs.md}, each row with the outcome it had in this run,
 * so the document cannot claim what did not run. (Same context as EmbedOverHttpTest, so Spring
 * reuses it.)
 *
 * <p>The service runs all-MiniLM-L6-v2 (max 256 tokens, 384 dimensions, a vocabulary of 30522), no
 * API key and no cross-encoder, with the default limits: 32 inputs per request, a 2 MiB payload, 8 KB
 * of headers and JsonReadLimits' bounds. JsonReadLimits' string and document lengths follow the
 * payload limit, so the 413 always comes first and they have no case of their own.
 *
 * <p>A few rows pin an answer that is wrong (see {@link Case#bug()}): the table says so, and the day
 * the answer is fixed the row fails and is corrected.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputCatalogueTest extends RunningServiceTest {

    private static final Path TABLE = Path.of("target", "faults", "bad-inputs.md");
    private static final String JSON = "application/json";
    private static final String OPENAI_CLIENT_ERROR = "invalid_request_error";
    /** PAYLOAD_LIMIT's default is 2MB, which Spring reads as 2 MiB. */
    private static final int PAYLOAD_LIMIT = 2 * 1024 * 1024;

    /** The document an error comes back as. */
    enum Shape {
        /** TEI's {"error", "error_type"}, on every route but OpenAI's. */
        TEI,
        /** OpenAI's {"error": {"message", "type", "param", "code"}}, on /v1/* and /embeddings. */
        OPENAI,
        /** No error: the route's own JSON answer, to a request that only looks wrong. */
        ANSWER;

        static Shape ofRoute(String route) {
            return route.startsWith("/v1/") || route.equals("/embeddings") ? OPENAI : TEI;
        }
    }

    /**
     * What is wrong, the request that shows it, and the answer the service gives: its status, its
     * shape, TEI's error_type or OpenAI's code (null for OpenAI's errors from HTTP itself, which have
     * none), and a part of its message. {@code bug} is null, or says why this answer is wrong.
     */
    record Case(String what, Request request, int status, Shape shape, String errorType, String messagePart,
            String bug) {

        Case knownBug(String why) {
            return new Case(what, request, status, shape, errorType, messagePart, why);
        }

        @Override
        public String toString() {
            return request.method() + " " + request.route() + ": " + what;
        }
    }

    /** One HTTP request; a null {@code body} sends none. A chunked body has no Content-Length. */
    record Request(String method, String route, Map<String, String> headers, byte[] body, boolean chunked) {

        Request withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Request(method, route, more, body, chunked);
        }

        Request withoutContentType() {
            Map<String, String> fewer = new LinkedHashMap<>(headers);
            fewer.remove("Content-Type");
            return new Request(method, route, fewer, body, chunked);
        }

        Request inChunks() {
            return new Request(method, route, headers, body, true);
        }

        HttpRequest.BodyPublisher publisher() {
            if (body == null) {
                return HttpRequest.BodyPublishers.noBody();
            }
            // A stream of unknown length goes out with Transfer-Encoding: chunked.
            return chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                    : HttpRequest.BodyPublishers.ofByteArray(body);
        }
    }

    static Request post(String route, String json) {
        return postBytes(route, json.getBytes(StandardCharsets.UTF_8));
    }

    static Request postBytes(String route, byte[] body) {
        return new Request("POST", route, Map.of("Content-Type", JSON), body, false);
    }

    static Request request(String method, String route) {
        return new Request(method, route, Map.of(), null, false);
    }

    /** A bad request answered in its route's error shape. */
    static Case bad(String what, Request request, int status, String errorType, String messagePart) {
        return new Case(what, request, status, Shape.ofRoute(request.route()), errorType, messagePart, null);
    }

    /** A request answered outside the service's error mapping, by Spring Boot or Tomcat themselves. */
    static Case answeredBy(Shape shape, String what, Request request, int status, String messagePart) {
        return new Case(what, request, status, shape, null, messagePart, null);
    }

    /** A JSON list of {@code count} one-letter texts. */
    static String strings(int count) {
        return "[" + String.join(",", Collections.nCopies(count, "\"x\"")) + "]";
    }

    static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A request the route answers as usual; {@code bodyPart} is a part of that answer. */
    static Case answered(String what, Request request, int status, String bodyPart) {
        return new Case(what, request, status, Shape.ANSWER, null, bodyPart, null);
    }

    /** The payload limit's message for a body that declares its length. */
    static String overLimit(Request request) {
        return "Request body of " + request.body().length + " bytes is over the payload limit of " + PAYLOAD_LIMIT
                + " bytes (PAYLOAD_LIMIT)";
    }

    private static final String OVER_LONG_TEXT = "word ".repeat(300);
    private static final String TOO_LARGE_TEXT = "a".repeat(PAYLOAD_LIMIT + 100_000);
    private static final Request TEI_OVER_LIMIT = post("/embed", "{\"inputs\": \"" + TOO_LARGE_TEXT + "\"}");
    private static final Request OPENAI_OVER_LIMIT = post("/v1/embeddings", "{\"input\": \"" + TOO_LARGE_TEXT + "\"}");
    private static final String TOO_DEEP = "{\"inputs\": " + "[".repeat(40) + "]".repeat(40) + "}";
    private static final String A_TEXT = "{\"inputs\": \"a\"}";
    private static final String TOKEN_ID = "must be a token id (an integer from 0 to 4294967295), got the number ";
    private static final String OVER_BATCH = "batch size 33 > maximum allowed batch size 32 (MAX_CLIENT_BATCH_SIZE";
    private static final String NO_CROSS_ENCODER = "this service runs no cross-encoder";

    static final List<Case> CASES = List.of(
            // /embed: the shapes of "inputs"
            bad("inputs is a number", post("/embed", "{\"inputs\": 42}"), 422, "Validation",
                    "`inputs` must be a string, a list of strings or a list of token ids, got the number 42"),
            bad("an item of inputs is neither a text nor token ids", post("/embed", "{\"inputs\": [\"a\", true]}"),
                    422, "Validation", "`inputs[1]` must be a string or a list of token ids, got a boolean (true)"),
            bad("no inputs field", post("/embed", "{\"normalize\": true}"), 422, "Validation",
                    "missing field `inputs`"),
            bad("inputs is an empty string", post("/embed", "{\"inputs\": \"\"}"), 400, "Empty",
                    "`inputs` cannot be empty"),
            bad("inputs is an empty list", post("/embed", "{\"inputs\": []}"), 400, "Empty",
                    "`inputs` cannot be empty"),
            bad("one text of a batch is empty", post("/embed", "{\"inputs\": [\"a\", \"\"]}"), 400, "Empty",
                    "`inputs[1]` cannot be empty"),
            bad("one token-id list of a batch is empty", post("/embed", "{\"inputs\": [[101, 102], []]}"),
                    400, "Empty", "`inputs[1]` cannot be empty"),
            bad("33 inputs, over MAX_CLIENT_BATCH_SIZE (32)", post("/embed", "{\"inputs\": " + strings(33) + "}"),
                    422, "Validation", OVER_BATCH),
            bad("300 words with truncate false, over max_seq_length (256)",
                    post("/embed", "{\"inputs\": \"" + OVER_LONG_TEXT + "\", \"truncate\": false}"),
                    422, "Validation", "`inputs` must have less than 256 tokens. Given: 302"),
            bad("a lone UTF-16 surrogate (\\ud800) in a text", post("/embed", "{\"inputs\": \"a\\ud800b\"}"),
                    422, "Validation", "`inputs` is not valid Unicode: unpaired surrogate at char 1"),
            // /embed: token ids
            bad("a token id outside the vocabulary", post("/embed", "{\"inputs\": [101, 99999999, 102]}"),
                    422, "Validation", "token id 99999999 is outside the vocabulary [0, 30522)"),
            bad("a negative token id", post("/embed", "{\"inputs\": [101, -1, 102]}"), 422, "Validation",
                    "`inputs[1]` " + TOKEN_ID + "-1"),
            bad("a token id over u32", post("/embed", "{\"inputs\": [101, 4294967296]}"), 422, "Validation",
                    "`inputs[1]` " + TOKEN_ID + "4294967296"),
            bad("a fractional token id", post("/embed", "{\"inputs\": [101, 1.5]}"), 422, "Validation",
                    "`inputs[1]` " + TOKEN_ID + "1.5"),
            // /embed: options
            bad("normalize is a string", post("/embed", "{\"inputs\": \"a\", \"normalize\": \"yes\"}"),
                    422, "Validation", "`normalize` must be true or false, got a string"),
            bad("truncation_direction is neither right nor left",
                    post("/embed", "{\"inputs\": \"a\", \"truncation_direction\": \"up\"}"),
                    422, "Validation", "`truncation_direction` must be \"right\" or \"left\", got \"up\""),
            bad("dimensions is 0", post("/embed", "{\"inputs\": \"a\", \"dimensions\": 0}"), 422, "Validation",
                    "`dimensions` must be between 1 and 384 for this model. Given: 0"),
            bad("dimensions is 385, over the model's 384", post("/embed", "{\"inputs\": \"a\", \"dimensions\": 385}"),
                    422, "Validation", "`dimensions` must be between 1 and 384 for this model. Given: 385"),
            bad("dimensions is not an integer", post("/embed", "{\"inputs\": \"a\", \"dimensions\": 1.5}"),
                    422, "Validation", "`dimensions` must be an integer, got the number 1.5"),
            bad("a prompt_name the model does not define",
                    post("/embed", "{\"inputs\": \"a\", \"prompt_name\": \"query\"}"),
                    422, "Validation", "prompt_name `query` is not one of the model's prompts"),
            // /embed: the body as a whole
            bad("the body is a JSON string, not an object", post("/embed", "\"a text\""), 422, "Validation",
                    "Request body must be a JSON object, got a string"),
            bad("the body is cut off mid-JSON", post("/embed", "{\"inputs\": "), 400, "Empty",
                    "Request body is not valid JSON: Unexpected end-of-input"),
            bad("no body at all", post("/embed", ""), 400, "Empty", "Request body is missing; send a JSON object"),
            bad("a second JSON value after the object", post("/embed", A_TEXT + " {\"inputs\": \"b\"}"),
                    400, "Empty", "Request body is not valid JSON: Trailing token"),
            bad("NaN, which JSON does not have", post("/embed", "{\"inputs\": \"a\", \"dimensions\": NaN}"),
                    400, "Empty", "Request body is not valid JSON: Non-standard token 'NaN'"),
            bad("the same key twice", post("/embed", "{\"inputs\": \"a\", \"inputs\": \"b\"}"), 400, "Empty",
                    "Request body is not valid JSON: Duplicate Object property \"inputs\""),
            bad("JSON nested 40 deep, over 32", post("/embed", TOO_DEEP), 400, "Empty",
                    "Request body is over a JSON parsing limit: Document nesting depth (33) exceeds the maximum"
                            + " allowed (32)"),
            bad("a number of 100 digits, over 64", post("/embed", "{\"inputs\": [" + "1".repeat(100) + "]}"),
                    400, "Empty", "Request body is over a JSON parsing limit: Number value length (100) exceeds"
                            + " the maximum allowed (64)"),
            bad("a field name of 300 characters, over 256",
                    post("/embed", "{\"" + "k".repeat(300) + "\": 1, \"inputs\": \"a\"}"), 400, "Empty",
                    "Request body is over a JSON parsing limit: Name length (300) exceeds the maximum allowed (256)"),
            bad("bytes that are not UTF-8 (é in Latin-1)",
                    postBytes("/embed", "{\"inputs\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1)),
                    400, "Empty", "Request body is not valid JSON: Invalid UTF-8 middle byte 0x22"),
            bad("a gzip-compressed body (the service does not decompress)",
                    postBytes("/embed", gzip(A_TEXT)).withHeader("Content-Encoding", "gzip"), 400, "Empty",
                    "Request body is not valid JSON: Illegal character ((CTRL-CHAR, code 31))"),
            // /embed: HTTP
            bad("a body over PAYLOAD_LIMIT, with its Content-Length", TEI_OVER_LIMIT, 413, "Validation",
                    overLimit(TEI_OVER_LIMIT)),
            bad("a chunked body over PAYLOAD_LIMIT (no Content-Length)", TEI_OVER_LIMIT.inChunks(), 413,
                    "Validation", "Request body of more than " + PAYLOAD_LIMIT + " bytes is over the payload limit"),
            bad("Content-Type text/plain", post("/embed", A_TEXT).withHeader("Content-Type", "text/plain"),
                    415, "Validation", "Content-Type 'text/plain;charset=UTF-8' is not supported."),
            bad("no Content-Type", post("/embed", A_TEXT).withoutContentType(), 415, "Validation",
                    "Content-Type 'application/octet-stream' is not supported."),
            bad("a charset nobody knows",
                    post("/embed", A_TEXT).withHeader("Content-Type", "application/json; charset=klingon"),
                    415, "Validation", "Could not parse Content-Type."),
            answered("Accept lists no JSON type, which TEI and OpenAI ignore",
                    post("/embed", A_TEXT).withHeader("Accept", "image/png"), 200, "[["),
            bad("GET on a POST route", request("GET", "/embed"), 405, "Validation",
                    "GET is not allowed on /embed; use POST."),
            bad("a method no route has", request("FOO", "/embed"), 405, "Validation",
                    "FOO is not allowed on /embed; use POST."),
            bad("a header of 9000 bytes, over max-http-request-header-size (8KB)",
                    post("/embed", A_TEXT).withHeader("X-Padding", "p".repeat(9000)), 431, "Validation",
                    "Request header is too large"),
            bad("a header over the limit on an OpenAI route",
                    post("/v1/embeddings", "{\"input\": \"a\"}").withHeader("X-Padding", "p".repeat(9000)), 431,
                    null, "Request header is too large"),
            // /similarity
            bad("no source_sentence", post("/similarity", "{\"inputs\": {\"sentences\": [\"a\"]}}"),
                    422, "Validation", "missing field `inputs.source_sentence`"),
            bad("no sentences", post("/similarity", "{\"inputs\": {\"source_sentence\": \"a\"}}"),
                    422, "Validation", "missing field `inputs.sentences`"),
            bad("source_sentence is empty",
                    post("/similarity", "{\"inputs\": {\"source_sentence\": \"\", \"sentences\": [\"a\"]}}"),
                    400, "Empty", "`inputs.source_sentence` cannot be empty"),
            bad("sentences is an empty list",
                    post("/similarity", "{\"inputs\": {\"source_sentence\": \"a\", \"sentences\": []}}"),
                    400, "Empty", "`inputs.sentences` cannot be empty"),
            bad("inputs is a text, as /embed takes it", post("/similarity", A_TEXT), 422, "Validation",
                    "`inputs` must be a JSON object, got a string"),
            bad("a sentence is a number",
                    post("/similarity", "{\"inputs\": {\"source_sentence\": \"a\", \"sentences\": [1]}}"),
                    422, "Validation", "`inputs.sentences[0]` must be a string, got the number 1"),
            bad("parameters is not an object", post("/similarity",
                    "{\"inputs\": {\"source_sentence\": \"a\", \"sentences\": [\"b\"]}, \"parameters\": 1}"),
                    422, "Validation", "`parameters` must be a JSON object, got the number 1"),
            bad("the source and 32 sentences: 33 texts, over 32", post("/similarity",
                    "{\"inputs\": {\"source_sentence\": \"a\", \"sentences\": " + strings(32) + "}}"),
                    422, "Validation", OVER_BATCH),
            // /tokenize
            bad("inputs is a number", post("/tokenize", "{\"inputs\": 7}"), 422, "Validation",
                    "`inputs` must be a string or a list of strings, got the number 7"),
            bad("token ids, which only /embed takes", post("/tokenize", "{\"inputs\": [101, 102]}"),
                    422, "Validation", "`inputs[0]` must be a string, got the number 101"),
            bad("add_special_tokens is a string",
                    post("/tokenize", "{\"inputs\": \"a\", \"add_special_tokens\": \"yes\"}"),
                    422, "Validation", "`add_special_tokens` must be true or false, got a string"),
            bad("inputs is an empty string", post("/tokenize", "{\"inputs\": \"\"}"), 400, "Empty",
                    "`inputs` cannot be empty"),
            bad("the body is a JSON list", post("/tokenize", "[\"a\"]"), 422, "Validation",
                    "Request body must be a JSON object, got a list"),
            // /decode
            bad("ids is a string", post("/decode", "{\"ids\": \"101 102\"}"), 422, "Validation",
                    "`ids` must be a list of token ids or a list of lists of token ids, got a string"),
            bad("no ids field", post("/decode", "{\"skip_special_tokens\": true}"), 422, "Validation",
                    "missing field `ids`"),
            bad("ids is an empty list", post("/decode", "{\"ids\": []}"), 400, "Empty", "`ids` cannot be empty"),
            bad("a negative id", post("/decode", "{\"ids\": [101, -7]}"), 422, "Validation",
                    "`ids[1]` " + TOKEN_ID + "-7"),
            bad("an id over u32", post("/decode", "{\"ids\": [101, 99999999999]}"), 422, "Validation",
                    "`ids[1]` " + TOKEN_ID + "99999999999"),
            bad("an id that is not an integer", post("/decode", "{\"ids\": [101, 2.5]}"), 422, "Validation",
                    "`ids[1]` " + TOKEN_ID + "2.5"),
            bad("an id outside the vocabulary", post("/decode", "{\"ids\": [101, 99999999]}"), 422, "Validation",
                    "token id 99999999 is outside the vocabulary [0, 30522)"),
            bad("a batch whose second item is not a list", post("/decode", "{\"ids\": [[101], 102]}"),
                    422, "Validation", "`ids[1]` must be a list of token ids, got the number 102"),
            bad("skip_special_tokens is a number", post("/decode", "{\"ids\": [101], \"skip_special_tokens\": 0}"),
                    422, "Validation", "`skip_special_tokens` must be true or false, got the number 0"),
            // /rerank and /predict: a valid request fails on the model, a wrong shape fails before it
            bad("a valid request, but no re-ranker is loaded",
                    post("/rerank", "{\"query\": \"q\", \"texts\": [\"a\", \"b\"]}"), 424, "Backend",
                    "model is not a re-ranker model: " + NO_CROSS_ENCODER),
            bad("no query", post("/rerank", "{\"texts\": [\"a\"]}"), 422, "Validation", "missing field `query`"),
            bad("texts is a string", post("/rerank", "{\"query\": \"q\", \"texts\": \"a\"}"), 422, "Validation",
                    "`texts` must be a list of strings, got a string"),
            bad("texts is an empty list", post("/rerank", "{\"query\": \"q\", \"texts\": []}"), 400, "Empty",
                    "`texts` cannot be empty"),
            bad("raw_scores is a string",
                    post("/rerank", "{\"query\": \"q\", \"texts\": [\"a\"], \"raw_scores\": \"no\"}"),
                    422, "Validation", "`raw_scores` must be true or false, got a string"),
            bad("a valid request, but no classifier is loaded", post("/predict", A_TEXT), 424, "Backend",
                    "Model is not a classifier model: " + NO_CROSS_ENCODER),
            bad("three texts: neither a text nor a pair", post("/predict", "{\"inputs\": [\"a\", \"b\", \"c\"]}"),
                    422, "Validation", "got a list of 3 items"),
            bad("an empty item in a batch", post("/predict", "{\"inputs\": [[\"a\"], []]}"), 400, "Empty",
                    "`inputs[1]` cannot be empty"),
            bad("a batch item that is not a list", post("/predict", "{\"inputs\": [[\"a\"], \"b\"]}"),
                    422, "Validation", "`inputs[1]` must be a list of one or two strings, got a string"),
            // Other paths
            bad("no inputs, on the SageMaker alias of /embed", post("/invocations", "{}"), 422, "Validation",
                    "missing field `inputs`"),
            bad("POST on a GET route", post("/info", "{}"), 405, "Validation",
                    "POST is not allowed on /info; use GET."),
            bad("a path that is not a route", post("/embedding", A_TEXT), 404, "NotFound",
                    "Not found: POST /embedding is not a route of this service."),
            bad("the servlet container's error path, asked for directly", request("GET", "/error"), 404, "NotFound",
                    "Not found: GET /error is not a route of this service."),
            // OpenAI: input
            bad("input is an empty string", post("/v1/embeddings", "{\"input\": \"\"}"), 400, "empty_input",
                    "`input` cannot be empty"),
            bad("input is a number", post("/v1/embeddings", "{\"input\": 3.5}"), 422, "invalid_value",
                    "`input` must be a string, a list of strings or a list of token ids, got the number 3.5"),
            bad("no input field", post("/v1/embeddings", "{\"model\": \"m\"}"), 422, "invalid_value",
                    "missing field `input`"),
            bad("input is an empty list", post("/v1/embeddings", "{\"input\": []}"), 400, "empty_input",
                    "`input` cannot be empty"),
            bad("a token array with a negative id", post("/v1/embeddings", "{\"input\": [[101, -5, 102]]}"),
                    422, "invalid_value", "`input[0][1]` " + TOKEN_ID + "-5"),
            bad("an empty token array", post("/v1/embeddings", "{\"input\": [[]]}"), 400, "empty_input",
                    "`input[0]` cannot be empty"),
            bad("33 inputs, over 32", post("/v1/embeddings", "{\"input\": " + strings(33) + "}"), 422,
                    "invalid_value", OVER_BATCH),
            // OpenAI: the other fields
            bad("encoding_format is neither float nor base64",
                    post("/v1/embeddings", "{\"input\": \"a\", \"encoding_format\": \"hex\"}"), 422, "invalid_value",
                    "`encoding_format` must be \"float\" or \"base64\", got \"hex\""),
            bad("encoding_format is a number", post("/v1/embeddings", "{\"input\": \"a\", \"encoding_format\": 1}"),
                    422, "invalid_value", "`encoding_format` must be a string, got the number 1"),
            bad("dimensions is 0", post("/v1/embeddings", "{\"input\": \"a\", \"dimensions\": 0}"), 422,
                    "invalid_value", "`dimensions` must be between 1 and 384 for this model. Given: 0"),
            bad("dimensions is 385, over the model's 384",
                    post("/v1/embeddings", "{\"input\": \"a\", \"dimensions\": 385}"), 422, "invalid_value",
                    "`dimensions` must be between 1 and 384 for this model. Given: 385"),
            bad("dimensions is a string", post("/v1/embeddings", "{\"input\": \"a\", \"dimensions\": \"256\"}"),
                    422, "invalid_value", "`dimensions` must be an integer, got a string"),
            bad("model is a number", post("/v1/embeddings", "{\"input\": \"a\", \"model\": 5}"), 422,
                    "invalid_value", "`model` must be a string, got the number 5"),
            bad("user is a number", post("/v1/embeddings", "{\"input\": \"a\", \"user\": 5}"), 422,
                    "invalid_value", "`user` must be a string, got the number 5"),
            // OpenAI: the body and HTTP
            bad("the body is cut off mid-JSON", post("/v1/embeddings", "{\"input\": "), 400, "empty_input",
                    "Request body is not valid JSON: Unexpected end-of-input"),
            bad("a body over PAYLOAD_LIMIT", OPENAI_OVER_LIMIT, 413, "payload_too_large", overLimit(OPENAI_OVER_LIMIT)),
            bad("Content-Type text/plain", post("/v1/embeddings", "{\"input\": \"a\"}")
                    .withHeader("Content-Type", "text/plain"), 415, null,
                    "Content-Type 'text/plain;charset=UTF-8' is not supported."),
            bad("GET on a POST route", request("GET", "/v1/embeddings"), 405, null,
                    "GET is not allowed on /v1/embeddings; use POST."),
            bad("an OpenAI path this service does not serve", post("/v1/chat/completions", "{\"messages\": []}"),
                    404, "unknown_url", "Not found: POST /v1/chat/completions is not a route of this service."),
            bad("input is an empty string, on the alias without /v1", post("/embeddings", "{\"input\": \"\"}"),
                    400, "empty_input", "`input` cannot be empty"));

    static List<Case> cases() {
        return CASES;
    }

    /** Cases whose request got exactly the answer written in the table, in this run. */
    private static final Set<Case> PASSED = ConcurrentHashMap.newKeySet();

    @Order(1)
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void answersWithItsStatusAndErrorBody(Case c) {
        Request r = c.request();
        HttpJson.Response response = http.send(r.method(), r.route(), r.headers(), r.publisher());
        assertThat(response.status()).as(response.body()).isEqualTo(c.status());
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        assertThat(contentType).as(response.body()).startsWith(JSON);
        switch (c.shape()) {
            case TEI -> assertTeiError(response.json(), c.errorType(), c.messagePart());
            case OPENAI -> assertOpenAiError(response.json(), c.errorType(), c.messagePart());
            case ANSWER -> {
                assertThat(response.json().has("error")).as(response.body()).isFalse();
                assertThat(response.body()).contains(c.messagePart());
            }
        }
        PASSED.add(c);
    }

    /** Exactly {"error": message, "error_type": type}, as TEI sends it. */
    static void assertTeiError(JsonNode body, String errorType, String messagePart) {
        assertThat(fieldNames(body)).as(body.toString()).containsExactlyInAnyOrder("error", "error_type");
        assertThat(body.get("error_type").asString()).as(body.toString()).isEqualTo(errorType);
        assertThat(body.get("error").asString()).as(body.toString()).contains(messagePart);
    }

    /** For other tests' one-off bad requests to TEI's routes. */
    static void assertTei(HttpJson.Response response, int status, String errorType, String messagePart) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertTeiError(response.json(), errorType, messagePart);
    }

    /** Exactly {"error": {"message", "type", "param", "code"}}, param null, as OpenAI sends it. */
    static void assertOpenAiError(JsonNode body, String code, String messagePart) {
        assertThat(fieldNames(body)).as(body.toString()).containsExactly("error");
        JsonNode error = body.get("error");
        assertThat(fieldNames(error)).as(body.toString()).containsExactlyInAnyOrder("message", "type", "param", "code");
        assertThat(error.get("message").asString()).as(body.toString()).contains(messagePart);
        // Every case here is the client's fault, which OpenAI's SDKs expect as invalid_request_error.
        assertThat(error.get("type").asString()).as(body.toString()).isEqualTo(OPENAI_CLIENT_ERROR);
        assertThat(error.get("param").isNull()).as(body.toString()).isTrue();
        if (code == null) {
            assertThat(error.get("code").isNull()).as(body.toString()).isTrue();
        } else {
            assertThat(error.get("code").asString()).as(body.toString()).isEqualTo(code);
        }
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }

    /** After every case above, the service still answers with the reference vectors. */
    @Order(2)
    @Test
    void stillEmbedsAsTheReferenceDoesAfterTheCatalogue() {
        String text = "The service still answers after all of this.";
        double[] expected;
        try (OnnxReference onnx = OnnxReference.miniLm();
                TextTokenizer tokenizer =
                        TextTokenizer.load(MiniLmFixture.modelDirectory().resolve("tokenizer.json"), false)) {
            long[] ids = Truncation.truncate(tokenizer.encode(text), 256, TruncationDirection.RIGHT);
            expected = Vectors.toDouble(onnx.embed(ids));
        }
        assertThat(http.get("/health").status()).isEqualTo(200);
        assertThat(http.get("/info").json().get("max_client_batch_size").asInt()).isEqualTo(32);

        HttpJson.Response tei = http.post("/embed", "{\"inputs\": [" + HttpJson.quote(text) + ", \"second\"]}");
        assertThat(tei.status()).as(tei.body()).isEqualTo(200);
        Vectors.assertSameVector("/embed", tei.vector(0), expected);

        HttpJson.Response openAi = http.post("/v1/embeddings", "{\"input\": " + HttpJson.quote(text) + "}");
        assertThat(openAi.status()).as(openAi.body()).isEqualTo(200);
        JsonNode embedding = openAi.json().get("data").get(0).get("embedding");
        float[] vector = new float[embedding.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = embedding.get(i).floatValue();
        }
        Vectors.assertSameVector("/v1/embeddings", vector, expected);
    }

    /** The catalogue as RELIABILITY.md shows it, written from the cases that ran, with their outcome. */
    @AfterAll
    static void writeTable() throws IOException {
        StringBuilder table = new StringBuilder()
                .append("| # | route | what is wrong | status | error type / code | message contains |\n")
                .append("|---|---|---|---|---|---|\n");
        for (int i = 0; i < CASES.size(); i++) {
            Case c = CASES.get(i);
            String what = c.bug() == null ? c.what() : c.what() + " (**wrong:** " + c.bug() + ")";
            String status = PASSED.contains(c) ? Integer.toString(c.status())
                    : "**failed** (" + c.status() + " expected)";
            table.append("| ").append(i + 1)
                    .append(" | ").append(code(c.request().method() + " " + c.request().route()))
                    .append(" | ").append(cell(what))
                    .append(" | ").append(status)
                    .append(" | ").append(cell(errorTypeInTable(c)))
                    .append(" | ").append(code(c.messagePart()))
                    .append(" |\n");
        }
        Files.createDirectories(TABLE.getParent());
        Files.writeString(TABLE, table);
    }

    static String errorTypeInTable(Case c) {
        return switch (c.shape()) {
            case TEI -> c.errorType();
            case OPENAI -> OPENAI_CLIENT_ERROR + " / " + (c.errorType() == null ? "null" : c.errorType());
            case ANSWER -> "none: the route's answer";
        };
    }

    /** A code span; one that holds backticks is opened and closed with two. */
    static String code(String text) {
        return text.contains("`") ? "`` " + cell(text) + " ``" : "`" + cell(text) + "`";
    }

    /** Keeps a cell on its row: a pipe would end it. */
    static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
