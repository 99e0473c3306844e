package io.embedserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * GET / is TEI's health route for everything but a browser: probes written for TEI rely on it, so
 * any request that does not name text/html gets exactly what GET /health answers.
 */
@WebMvcTest
@Import(ApiTestConfig.class)
class PlaygroundRouteTest extends ApiSliceTest {

    /** What Chromium and Firefox send for a page. */
    static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    @Test
    void browserGetsThePlaygroundPage() throws Exception {
        mvc.perform(get("/").header("Accept", BROWSER_ACCEPT))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
                .andExpect(header().string("Vary", "Accept"))
                .andExpect(content().string(org.hamcrest.Matchers.containsString("playground/main.js")));
    }

    @Test
    void browserGetsThePageEvenWhileTheModelLoads() throws Exception {
        model.ready = false;
        mvc.perform(get("/").header("Accept", BROWSER_ACCEPT)).andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*/*", "application/json", "text/*", "text/html;q=0", "not a media type"})
    void otherClientsGetHealthsAnswerOnceReady(String accept) throws Exception {
        assertSameAsHealth(accept, 200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*/*", "application/json"})
    void otherClientsGetHealthsAnswerWhileTheModelLoads(String accept) throws Exception {
        model.ready = false;
        assertSameAsHealth(accept, 503);
    }

    @Test
    void servesTheScriptsAsJavaScriptModulesNeedIt() throws Exception {
        mvc.perform(get("/playground/main.js"))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", org.hamcrest.Matchers.containsString("javascript")));
    }

    private void assertSameAsHealth(String accept, int expectedStatus) throws Exception {
        MockHttpServletResponse health = mvc.perform(withAccept(get("/health"), accept)).andReturn().getResponse();
        MockHttpServletResponse root = mvc.perform(withAccept(get("/"), accept)).andReturn().getResponse();
        assertThat(health.getStatus()).isEqualTo(expectedStatus);
        assertThat(root.getStatus()).isEqualTo(health.getStatus());
        assertThat(root.getContentAsString()).isEqualTo(health.getContentAsString());
        assertThat(root.getContentType()).isEqualTo(health.getContentType());
    }

    private static MockHttpServletRequestBuilder withAccept(MockHttpServletRequestBuilder request, String accept) {
        return accept.isEmpty() ? request : request.header("Accept", accept);
    }
}
