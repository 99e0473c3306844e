package io.embedserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import org.junit.jupiter.api.Test;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** x-request-id on every answer of the public port: a sane incoming id is kept, anything else replaced. */
@WebMvcTest(properties = "API_KEY=" + RequestIdTest.KEY)
@Import(ApiTestConfig.class)
class RequestIdTest extends ApiSliceTest {

    static final String KEY = "es-request-id-key";
    /** java.util.UUID.toString's shape, written out here rather than taken from the filter. */
    static final String UUID_SHAPE = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    MockHttpServletResponse send(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn().getResponse();
    }

    static MockHttpServletRequestBuilder embed(String json) {
        return post("/embed").contentType(MediaType.APPLICATION_JSON).content(json)
                .header("Authorization", "Bearer " + KEY);
    }

    @Test
    void everyAnswerCarriesAGeneratedIdWhenTheRequestHasNone() throws Exception {
        record Case(String what, MockHttpServletRequestBuilder request, int status) {}
        Case[] cases = {
            new Case("embed", embed("{\"inputs\": \"a b\"}"), 200),
            new Case("openai", post("/v1/embeddings").contentType(MediaType.APPLICATION_JSON)
                    .content("{\"input\": \"a\"}").header("Authorization", "Bearer " + KEY), 200),
            new Case("health", get("/health"), 200),
            new Case("ping", get("/ping"), 200),
            new Case("info", get("/info").header("Authorization", "Bearer " + KEY), 200),
            new Case("malformed JSON", embed("{\"inputs\": "), 400),
            new Case("validation", embed("{\"inputs\": 5}"), 422),
            new Case("too large", embed("{\"inputs\": \"" + "a".repeat(2 * 1024 * 1024) + "\"}"), 413),
            new Case("no key", post("/embed").contentType(MediaType.APPLICATION_JSON).content("{}"), 401),
            new Case("wrong key", get("/info").header("Authorization", "Bearer nope"), 401),
            new Case("unknown route", get("/no-such-route").header("Authorization", "Bearer " + KEY), 404),
            new Case("wrong method", get("/embed").header("Authorization", "Bearer " + KEY), 405),
        };
        for (Case c : cases) {
            MockHttpServletResponse response = send(c.request());
            assertThat(response.getStatus()).as(c.what()).isEqualTo(c.status());
            assertThat(response.getHeader("x-request-id")).as(c.what()).matches(UUID_SHAPE);
        }
    }

    @Test
    void eachRequestGetsItsOwnId() throws Exception {
        String first = send(get("/health")).getHeader("x-request-id");
        String second = send(get("/health")).getHeader("x-request-id");
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void aNotReadyAnswerCarriesTheIdToo() throws Exception {
        model.ready = false;
        MockHttpServletResponse response = send(get("/health").header("x-request-id", "lb-7f3a"));
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeader("x-request-id")).isEqualTo("lb-7f3a");
    }

    @Test
    void aSaneIncomingIdIsEchoedOnSuccessAndOnErrors() throws Exception {
        String id = "req_2026-12-07T06:00:00.123Z:node-7";
        assertThat(send(embed("{\"inputs\": \"a\"}").header("x-request-id", id)).getHeader("x-request-id"))
                .isEqualTo(id);
        assertThat(send(embed("{\"inputs\": 5}").header("x-request-id", id)).getHeader("x-request-id"))
                .isEqualTo(id);
        assertThat(send(post("/embed").header("x-request-id", id)).getHeader("x-request-id")).isEqualTo(id);
        String longest = "a".repeat(128);
        assertThat(send(get("/health").header("x-request-id", longest)).getHeader("x-request-id")).isEqualTo(longest);
    }

    @Test
    void anInsaneIncomingIdIsReplaced() throws Exception {
        String[] insane = {
            "a".repeat(129), // too long
            "abc\u0001def", // a control character
            "abc\tdef",
            "ид-запроса", // not ASCII
            "a b", // a space
            "id;drop", "<script>", "a/b", "",
        };
        for (String incoming : insane) {
            String answered = send(get("/health").header("x-request-id", incoming)).getHeader("x-request-id");
            assertThat(answered).as("incoming %s", incoming).matches(UUID_SHAPE);
        }
    }

    @Test
    void theBodyOfA500NamesTheSameIdAsItsHeader() throws Exception {
        model.failure = new IllegalStateException("a bug");
        MockHttpServletResponse response = send(embed("{\"inputs\": \"a\"}").header("x-request-id", "trace-me-1"));
        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getHeader("x-request-id")).isEqualTo("trace-me-1");
        assertThat(response.getContentAsString()).contains("request id trace-me-1.");
    }

    @Test
    void anIdIsMadeUpForARequestTheFilterHasNotSeen() {
        assertThat(RequestIdFilter.of(new MockHttpServletRequest())).matches(UUID_SHAPE);
    }
}
