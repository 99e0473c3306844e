package io.embedserve.api;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.ResultActions;

/** nosniff and the referrer policy on answers of every kind: vectors, errors, pages, scripts, redirects. */
@WebMvcTest
@Import(ApiTestConfig.class)
class SecurityHeadersFilterTest extends ApiSliceTest {

    static void carriesBoth(ResultActions result) throws Exception {
        result.andExpect(header().string("X-Content-Type-Options", "nosniff"))
                .andExpect(header().string("Referrer-Policy", "no-referrer"));
    }

    @Test
    void anEmbeddingCarriesBoth() throws Exception {
        carriesBoth(postJson("/embed", "{\"inputs\": \"a\"}").andExpect(status().isOk()));
        carriesBoth(postJson("/v1/embeddings", "{\"input\": \"a\"}").andExpect(status().isOk()));
    }

    @Test
    void errorsCarryBoth() throws Exception {
        carriesBoth(postJson("/embed", "{\"inputs\": ").andExpect(status().isBadRequest()));
        carriesBoth(postJson("/embed", "{\"inputs\": 5}").andExpect(status().isUnprocessableContent()));
        carriesBoth(postJson("/no-such-route", "{}").andExpect(status().isNotFound()));
        model.ready = false;
        carriesBoth(mvc.perform(get("/health")).andExpect(status().isServiceUnavailable()));
    }

    @Test
    void thePlaygroundAndTheDocsRedirectCarryBoth() throws Exception {
        carriesBoth(mvc.perform(get("/").header("Accept", PlaygroundRouteTest.BROWSER_ACCEPT))
                .andExpect(status().isOk()));
        carriesBoth(mvc.perform(get("/playground/main.js")).andExpect(status().isOk()));
        carriesBoth(mvc.perform(get("/docs")).andExpect(status().isFound()));
    }
}
