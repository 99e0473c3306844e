package io.embedserve.api;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * What every web-slice test of the api package shares: MockMvc, the hand-written models (reset
 * before each test), and a JSON POST. Subclasses carry {@code @WebMvcTest} and
 * {@code @Import(ApiTestConfig.class)} with their own properties.
 */
abstract class ApiSliceTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    FakeEmbeddingService model;

    @Autowired
    FakeCrossEncoderService crossEncoder;

    @BeforeEach
    void resetModel() {
        model.reset();
        crossEncoder.reset();
    }

    ResultActions postJson(String path, Object body) throws Exception {
        var request = post(path).contentType(MediaType.APPLICATION_JSON);
        return mvc.perform(body instanceof byte[] bytes ? request.content(bytes) : request.content((String) body));
    }
}
