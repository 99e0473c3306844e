package io.embedserve.app;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The browser tests against a service that runs a reranker beside all-MiniLM-L6-v2 (the one of
 * {@link RerankServiceTest}), so that the playground shows its Rerank tab. Subclasses share one
 * running service.
 */
abstract class TwoModelBrowserTest extends BrowserTest {

    @DynamicPropertySource
    static void reranker(DynamicPropertyRegistry registry) {
        registry.add("HF_HUB_CACHE", () -> RerankServiceTest.cache().toString());
        registry.add("RERANK_MODEL_ID", () -> RerankServiceTest.RERANK_MODEL_ID);
    }
}
