package io.embedserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
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
import org.springframework.test.web.servlet.ResultActions;

/** API_KEY set: every API route wants the Bearer key, in the route's dialect; the open routes stay open. */
@WebMvcTest(properties = {"API_KEY=" + ApiKeyRoutesTest.KEY, "logging.level.io.embedserve=DEBUG"})
@Import(ApiTestConfig.class)
@ExtendWith(OutputCaptureExtension.class)
class ApiKeyRoutesTest extends ApiSliceTest {

    static final String KEY = "es-test-8f14e45fceea167a5a36dedd4bea2543";

    ResultActions embed(String authorization) throws Exception {
        var request = post("/embed").contentType(MediaType.APPLICATION_JSON).content("{\"inputs\": \"a b\"}");
        return mvc.perform(authorization == null ? request : request.header("Authorization", authorization));
    }

    @Test
    void aTeiRouteWithoutAKeyIs401InTeisShapeWithTheBearerChallenge() throws Exception {
        embed(null).andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", "Bearer"))
                .andExpect(jsonPath("$.error_type").value("Validation"))
                .andExpect(jsonPath("$.error", containsString("Authorization: Bearer")));
        assertThat(model.lastInputs).as("never reached the model").isNull();
    }

    @Test
    void aWrongKeyOrAnotherSchemeIs401() throws Exception {
        embed("Bearer " + KEY + "x").andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.error").value("Invalid API key."));
        embed("Basic " + KEY).andExpect(status().isUnauthorized());
        embed("Bearer").andExpect(status().isUnauthorized());
        embed(KEY).andExpect(status().isUnauthorized());
    }

    @Test
    void theRightKeyPassesWhateverTheCaseOfTheScheme() throws Exception {
        embed("Bearer " + KEY).andExpect(status().isOk());
        embed("bearer " + KEY).andExpect(status().isOk());
        embed("BEARER   " + KEY + " ").andExpect(status().isOk());
    }

    @Test
    void theOpenAiRouteAnswers401InOpenAisShape() throws Exception {
        mvc.perform(post("/v1/embeddings").contentType(MediaType.APPLICATION_JSON).content("{\"input\": \"a\"}")
                        .header("Authorization", "Bearer nope"))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", "Bearer"))
                .andExpect(jsonPath("$.error.type").value("invalid_request_error"))
                .andExpect(jsonPath("$.error.code").value("invalid_api_key"))
                .andExpect(jsonPath("$.error.param").isEmpty())
                .andExpect(jsonPath("$.error.message").isString());
    }

    @Test
    void everyComputingAndDescribingRouteNeedsTheKey() throws Exception {
        for (String path : new String[] {"/embed", "/similarity", "/tokenize", "/decode", "/", "/invocations",
                "/v1/embeddings", "/embeddings", "/no-such-route"}) {
            mvc.perform(post(path).contentType(MediaType.APPLICATION_JSON).content("{}"))
                    .andExpect(status().isUnauthorized());
        }
        mvc.perform(get("/info")).andExpect(status().isUnauthorized());
        mvc.perform(get("/info").header("Authorization", "Bearer " + KEY)).andExpect(status().isOk());
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
    void healthThePlaygroundAndTheApiDescriptionStayOpen() throws Exception {
        mvc.perform(get("/health")).andExpect(status().isOk());
        for (String path : new String[] {"/", "/docs", "/docs/index.html", "/openapi.json", "/playground/app.js"}) {
            mvc.perform(get(path)).andExpect(status().is(not(401)));
        }
    }

    @Test
    void theKeyNeverReachesTheLog(CapturedOutput output) throws Exception {
        embed("Bearer " + KEY).andExpect(status().isOk());
        embed("Bearer " + KEY + "-almost").andExpect(status().isUnauthorized());
        mvc.perform(post("/embed").contentType(MediaType.APPLICATION_JSON).content("{\"inputs\": 5}")
                .header("Authorization", "Bearer " + KEY)).andExpect(status().isUnprocessableContent());

        assertThat(output.getAll()).contains("rejected").doesNotContain(KEY);
    }
}
