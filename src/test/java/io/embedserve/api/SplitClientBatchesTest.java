package io.embedserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;

@WebMvcTest(properties = {"AUTO_SPLIT=true", "MAX_CLIENT_BATCH_SIZE=4", "MAX_CONCURRENT_REQUESTS=8"})
@Import(ApiTestConfig.class)
class SplitClientBatchesTest extends ApiSliceTest {

    @Test
    void acceptsMoreInputsThanTheClientBatchLimitWhenSplittingIsOn() throws Exception {
        postJson("/embed", "{\"inputs\": [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\"]}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(6));
        assertThat(model.lastInputs).hasSize(6);
    }

    @Test
    void refusesWith422ASplitRequestLargerThanTheConcurrencyLimitSinceItCouldNeverBeAdmitted() throws Exception {
        postJson("/embed", "{\"inputs\": [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\", \"i\"]}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.error_type").value("Validation"))
                .andExpect(jsonPath("$.error", org.hamcrest.Matchers.containsString("MAX_CONCURRENT_REQUESTS")));
        postJson("/v1/embeddings", "{\"input\": [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\", \"i\"]}")
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.error.type").value("invalid_request_error"))
                .andExpect(jsonPath("$.error.message", org.hamcrest.Matchers.containsString("MAX_CONCURRENT_REQUESTS")));
        postJson("/embed", "{\"inputs\": [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\"]}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(8));
        assertThat(model.lastInputs).hasSize(8);
    }
}
