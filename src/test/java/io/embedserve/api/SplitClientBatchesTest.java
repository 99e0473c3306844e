package io.embedserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;

@WebMvcTest(properties = {"AUTO_SPLIT=true", "MAX_CLIENT_BATCH_SIZE=4"})
@Import(ApiTestConfig.class)
class SplitClientBatchesTest extends ApiSliceTest {

    @Test
    void acceptsMoreInputsThanTheClientBatchLimitWhenSplittingIsOn() throws Exception {
        postJson("/embed", "{\"inputs\": [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\"]}")
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(6));
        assertThat(model.lastInputs).hasSize(6);
    }
}
