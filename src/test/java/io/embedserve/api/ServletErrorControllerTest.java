package io.embedserve.api;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Test;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;

/**
 * The container's error path: an error raised outside the controllers comes back in the failed
 * route's dialect, and the path asked for directly is a 404 like any path that is not a route.
 */
@WebMvcTest
@Import(ApiTestConfig.class)
class ServletErrorControllerTest extends ApiSliceTest {

    @Test
    void theErrorPathAskedForDirectlyIsNotARoute() throws Exception {
        mvc.perform(get("/error"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error_type").value("NotFound"))
                .andExpect(jsonPath("$.error").value(org.hamcrest.Matchers.startsWith(
                        "Not found: GET /error is not a route of this service.")));
    }

    @Test
    void anErrorOnATeiRouteComesBackInTeisShape() throws Exception {
        mvc.perform(get("/error")
                        .requestAttr(RequestDispatcher.ERROR_STATUS_CODE, 400)
                        .requestAttr(RequestDispatcher.ERROR_REQUEST_URI, "/embed")
                        .requestAttr(RequestDispatcher.ERROR_MESSAGE, "Invalid character found in the request target"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/json"))
                .andExpect(jsonPath("$.error").value("Invalid character found in the request target"))
                .andExpect(jsonPath("$.error_type").exists());
    }

    @Test
    void anErrorOnAnOpenAiRouteComesBackInOpenAisShape() throws Exception {
        mvc.perform(get("/error")
                        .requestAttr(RequestDispatcher.ERROR_STATUS_CODE, 503)
                        .requestAttr(RequestDispatcher.ERROR_REQUEST_URI, "/v1/embeddings"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.error.message").value("Service Unavailable"))
                .andExpect(jsonPath("$.error.type").exists());
    }
}
