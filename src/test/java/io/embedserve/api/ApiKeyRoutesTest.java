package io.embedserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.ResultActions;

/**
 * API_KEY set: every API route wants the Bearer key, in the route's dialect, and with it each route
 * gives its own answer; the open routes answer without one. The model is {@link FakeEmbeddingService},
 * whose vectors can be worked out by hand: "a b c" is [3, 4, 0, 0], normalised [0.6, 0.8, 0, 0].
 * Swagger UI and the OpenAPI description are not in a web slice: {@code app.OpenRoutesWithApiKeyTest}.
 */
@WebMvcTest(properties = {"API_KEY=" + ApiKeyRoutesTest.KEY, "logging.level.io.embedserve=DEBUG"})
@Import(ApiTestConfig.class)
@ExtendWith(OutputCaptureExtension.class)
class ApiKeyRoutesTest extends ApiSliceTest {

    static final String KEY = "es-test-8f14e45fceea167a5a36dedd4bea2543";
    static final String BEARER = "Bearer " + KEY;
    static final String UNIT_ABC = "[[0.6,0.8,0.0,0.0]]";

    ResultActions embed(String authorization) throws Exception {
        var request = post("/embed").contentType(MediaType.APPLICATION_JSON).content("{\"inputs\": \"a b c\"}");
        return mvc.perform(authorization == null ? request : request.header("Authorization", authorization));
    }

    ResultActions withKey(String path, String json) throws Exception {
        return mvc.perform(post(path).contentType(MediaType.APPLICATION_JSON).content(json).header("Authorization", BEARER));
    }

    @Test
    void aTeiRouteWithoutAKeyIs401InTeisShapeWithTheBearerChallenge() throws Exception {
        embed(null).andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", "Bearer"))
                .andExpect(content().json("{\"error\": \"Missing API key: send it as \\\"Authorization: Bearer <key>\\\".\","
                        + " \"error_type\": \"Validation\"}", JsonCompareMode.STRICT));
        assertThat(model.lastInputs).as("never reached the model").isNull();
    }

    @Test
    void aWrongKeyOrAnotherSchemeIs401() throws Exception {
        String invalid = "{\"error\": \"Invalid API key.\", \"error_type\": \"Validation\"}";
        for (String authorization : new String[] {BEARER + "x", "Basic " + KEY, "Bearer", KEY}) {
            embed(authorization).andExpect(status().isUnauthorized())
                    .andExpect(content().json(invalid, JsonCompareMode.STRICT));
        }
        assertThat(model.lastInputs).isNull();
    }

    @Test
    void theRightKeyPassesWhateverTheCaseOfTheScheme() throws Exception {
        for (String authorization : new String[] {BEARER, "bearer " + KEY, "BEARER   " + KEY + " "}) {
            embed(authorization).andExpect(status().isOk()).andExpect(content().json(UNIT_ABC, JsonCompareMode.STRICT));
        }
    }

    @Test
    void theOpenAiRouteAnswers401InOpenAisShape() throws Exception {
        mvc.perform(post("/v1/embeddings").contentType(MediaType.APPLICATION_JSON).content("{\"input\": \"a\"}")
                        .header("Authorization", "Bearer nope"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", "Bearer"))
                .andExpect(content().json("{\"error\": {\"message\": \"Invalid API key.\", \"type\": \"invalid_request_error\","
                        + " \"param\": null, \"code\": \"invalid_api_key\"}}", JsonCompareMode.STRICT));
    }

    @Test
    void everyComputingAndDescribingRouteIs401WithoutTheKey() throws Exception {
        for (String path : new String[] {"/embed", "/similarity", "/tokenize", "/decode", "/", "/invocations",
                "/v1/embeddings", "/embeddings", "/no-such-route"}) {
            mvc.perform(post(path).contentType(MediaType.APPLICATION_JSON).content("{}"))
                    .andExpect(status().isUnauthorized())
                    .andExpect(header().string("WWW-Authenticate", "Bearer"));
        }
        mvc.perform(get("/info")).andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.error").value("Missing API key: send it as \"Authorization: Bearer <key>\"."));
        assertThat(model.lastInputs).isNull();
    }

    @Test
    void theEmbeddingsAliasAnswers401InOpenAisShape() throws Exception {
        mvc.perform(post("/embeddings").contentType(MediaType.APPLICATION_JSON).content("{\"input\": \"a\"}"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", "Bearer"))
                .andExpect(jsonPath("$.error.code").value("invalid_api_key"));
        mvc.perform(post("/embeddings").contentType(MediaType.APPLICATION_JSON).content("{\"input\": \"a\"}")
                .header("Authorization", "Bearer " + KEY)).andExpect(status().isOk());
    }

    @Test
    void healthAndPingAnswerWithoutAKey() throws Exception {
        mvc.perform(get("/health")).andExpect(status().isOk()).andExpect(content().string(""));
        mvc.perform(get("/ping")).andExpect(status().isOk()).andExpect(content().string(""));
        mvc.perform(post("/ping")).andExpect(status().isUnauthorized());
    }

    @Test
    void withTheKeyTheEmbedRouteAndItsAliasesAnswerTheVectors() throws Exception {
        for (String path : new String[] {"/embed", "/", "/invocations"}) {
            withKey(path, "{\"inputs\": \"a b c\"}").andExpect(status().isOk())
                    .andExpect(content().json(UNIT_ABC, JsonCompareMode.STRICT));
        }
    }

    @Test
    void withTheKeySimilarityAnswersTheCosines() throws Exception {
        // raw vectors [3, 4, 0, 0] and [1, 4, 0, 0]: cosine 19 / (5 * sqrt 17)
        withKey("/similarity", "{\"inputs\": {\"source_sentence\": \"a b c\", \"sentences\": [\"x y z\", \"w\"]}}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(2))
                .andExpect(jsonPath("$[0]", closeTo(1.0, 1e-6)))
                .andExpect(jsonPath("$[1]", closeTo(19 / (5 * Math.sqrt(17)), 1e-6)));
    }

    @Test
    void withTheKeyTokenizeAndDecodeAnswer() throws Exception {
        withKey("/tokenize", "{\"inputs\": \"a b\"}").andExpect(status().isOk())
                .andExpect(content().json("[[{\"id\": 0, \"text\": \"<s>\", \"special\": true, \"start\": null, \"stop\": null},"
                        + " {\"id\": 101, \"text\": \"a\", \"special\": false, \"start\": 0, \"stop\": 1},"
                        + " {\"id\": 102, \"text\": \"b\", \"special\": false, \"start\": 2, \"stop\": 3},"
                        + " {\"id\": 2, \"text\": \"</s>\", \"special\": true, \"start\": null, \"stop\": null}]]",
                        JsonCompareMode.STRICT));
        withKey("/decode", "{\"ids\": [0, 101, 102, 2]}").andExpect(status().isOk())
                .andExpect(content().json("[\"t101 t102\"]", JsonCompareMode.STRICT));
    }

    @Test
    void withTheKeyTheOpenAiRouteAnswersItsList() throws Exception {
        withKey("/v1/embeddings", "{\"input\": \"a b c\", \"model\": \"my-model\"}").andExpect(status().isOk())
                .andExpect(content().json("{\"object\": \"list\", \"data\": [{\"object\": \"embedding\", \"index\": 0,"
                        + " \"embedding\": [0.6, 0.8, 0.0, 0.0]}], \"model\": \"my-model\","
                        + " \"usage\": {\"prompt_tokens\": 3, \"total_tokens\": 3}}", JsonCompareMode.STRICT));
    }

    @Test
    void withTheKeyInfoAnswersAndAnUnknownPathIsNotFound() throws Exception {
        mvc.perform(get("/info").header("Authorization", BEARER)).andExpect(status().isOk())
                .andExpect(jsonPath("$.model_id").value("test-org/test-model"))
                .andExpect(jsonPath("$.model_sha").value("0123456789abcdef0123456789abcdef01234567"));
        withKey("/no-such-route", "{}").andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_type").value("NotFound"))
                .andExpect(jsonPath("$.error").value("Not found: POST /no-such-route is not a route of this service."
                        + " Embeddings are at POST /embed (TEI; also POST / and POST /invocations) and POST"
                        + " /v1/embeddings (OpenAI; also POST /embeddings)."));
    }

    @Test
    void healthAndThePlaygroundAnswerWithoutAKey() throws Exception {
        mvc.perform(get("/health")).andExpect(status().isOk()).andExpect(content().string(""));
        mvc.perform(get("/").header("Accept", PlaygroundRouteTest.BROWSER_ACCEPT)).andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
                .andExpect(content().string(org.hamcrest.Matchers.containsString("playground/main.js")));
        mvc.perform(get("/playground/main.js")).andExpect(status().isOk())
                .andExpect(header().string("Content-Type", org.hamcrest.Matchers.containsString("javascript")));
        mvc.perform(get("/docs")).andExpect(status().isFound())
                .andExpect(header().string("Location", OpenApiConfiguration.DOCS_PAGE));
    }

    @Test
    void theKeyNeverReachesTheLog(CapturedOutput output) throws Exception {
        embed(BEARER).andExpect(status().isOk());
        embed(BEARER + "-almost").andExpect(status().isUnauthorized());
        mvc.perform(post("/embed").contentType(MediaType.APPLICATION_JSON).content("{\"inputs\": 5}")
                .header("Authorization", BEARER)).andExpect(status().isUnprocessableContent());

        assertThat(output.getAll()).contains("rejected").doesNotContain(KEY);
    }
}
