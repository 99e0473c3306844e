package io.embedserve.api;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * An Accept that names no JSON type gets the route's JSON answer, as from TEI and OpenAI, not a 406:
 * on a route that answers with a ResponseEntity, on one that answers with a bare list, on OpenAI's
 * route and on GET /info. The playground still goes by Accept (PlaygroundRouteTest).
 */
@WebMvcTest
@Import(ApiTestConfig.class)
class JsonRegardlessOfAcceptTest extends ApiSliceTest {

    static MockHttpServletRequestBuilder postJson(String path, String body, String accept) {
        return post(path).contentType(MediaType.APPLICATION_JSON).content(body).header("Accept", accept);
    }

    @Test
    void embedAnswersJsonToAnAcceptForImages() throws Exception {
        mvc.perform(postJson("/embed", "{\"inputs\": \"a b c\"}", "image/png"))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$[0]").isArray());
    }

    @Test
    void tokenizeAnswersJsonToAnAcceptForHtml() throws Exception {
        mvc.perform(postJson("/tokenize", "{\"inputs\": \"a b\"}", "text/html"))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$[0]").isArray());
    }

    @Test
    void openAiEmbeddingsAnswerJsonToAnAcceptForXml() throws Exception {
        mvc.perform(postJson("/v1/embeddings", "{\"input\": \"a b c\"}", "application/xml"))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.object").value("list"));
    }

    @Test
    void infoAnswersJsonToAnAcceptForImages() throws Exception {
        mvc.perform(get("/info").header("Accept", "image/png"))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.model_id").value("test-org/test-model"));
    }
}
