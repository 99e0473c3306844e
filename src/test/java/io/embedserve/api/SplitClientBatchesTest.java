package io.embedserve.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(properties = {"AUTO_SPLIT=true", "MAX_CLIENT_BATCH_SIZE=4"})
@Import(ApiTestConfig.class)
class SplitClientBatchesTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    FakeEmbeddingService model;

    @Test
    void acceptsMoreInputsThanTheClientBatchLimitWhenSplittingIsOn() throws Exception {
        mvc.perform(post("/embed").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"inputs\": [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\"]}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(6));
        assertThat(model.lastInputs).hasSize(6);
    }
}
