package io.embedserve.api;

import static org.hamcrest.Matchers.emptyString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;

/** /info, /health and SageMaker's /ping. */
@WebMvcTest(properties = {"embedserve.serving.max-client-batch-size=16", "embedserve.serving.tokenization-workers=3"})
@Import(ApiTestConfig.class)
class TeiStatusRoutesTest extends ApiSliceTest {

    @Test
    void describesTheModelAndTheLimitsInTeiShape() throws Exception {
        mvc.perform(get("/info"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.model_id").value("test-org/test-model"))
                .andExpect(jsonPath("$.model_sha").value("0123456789abcdef0123456789abcdef01234567"))
                .andExpect(jsonPath("$.model_dtype").value("float32"))
                .andExpect(jsonPath("$.model_type.embedding.pooling").value("mean"))
                .andExpect(jsonPath("$.max_input_length").value(8))
                .andExpect(jsonPath("$.max_client_batch_size").value(16))
                .andExpect(jsonPath("$.max_batch_tokens").value(16384))
                .andExpect(jsonPath("$.max_batch_requests").value(64))
                .andExpect(jsonPath("$.max_concurrent_requests").value(512))
                .andExpect(jsonPath("$.tokenization_workers").value(3))
                .andExpect(jsonPath("$.auto_truncate").value(true))
                .andExpect(jsonPath("$.version").isString());
    }

    @Test
    void returns503ForInfoBeforeTheModelIsLoaded() throws Exception {
        model.ready = false;
        mvc.perform(get("/info")).andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.error_type").value("Unhealthy"));
    }

    @Test
    void healthIs503WithTeiJsonBeforeTheModelIsReady() throws Exception {
        model.ready = false;
        mvc.perform(get("/health"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.error_type").value("Unhealthy"));
    }

    @Test
    void healthIs200WithAnEmptyBodyOnceTheModelIsReady() throws Exception {
        mvc.perform(get("/health")).andExpect(status().isOk()).andExpect(content().string(emptyString()));
    }

    @Test
    void pingIs503WithTeisUnhealthyBodyBeforeTheModelIsReady() throws Exception {
        model.ready = false;
        mvc.perform(get("/ping"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.error_type").value("Unhealthy"))
                .andExpect(jsonPath("$.error").value("unhealthy: the model is not loaded yet"));
    }

    @Test
    void pingIs200WithAnEmptyBodyOnceTheModelIsReady() throws Exception {
        mvc.perform(get("/ping")).andExpect(status().isOk()).andExpect(content().string(emptyString()));
    }
}
