package io.embedserve.cache;

import static io.embedserve.cache.CacheTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.config.PooledEncoderDecorator;
import io.embedserve.inference.EmbedInput;
import io.embedserve.inference.EmbedOptions;
import io.embedserve.inference.EmbeddingService;
import io.embedserve.inference.ModelHolder;
import io.embedserve.testsupport.TinyEncoderModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Without SPRING_DATASOURCE_URL the service starts with no DataSource and embeds, cache off. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"embedserve.inference.exit-on-load-failure=false", "server.address=127.0.0.1"})
class NoDatabaseStartupTest {

    @DynamicPropertySource
    static void model(DynamicPropertyRegistry registry) throws Exception {
        Path model = TinyEncoderModel.xlmRoberta(5).writeTo(Files.createTempDirectory("no-database-model"));
        registry.add("embedserve.model.path", model::toString);
    }

    /** Actuator is on the management port only. */
    @LocalManagementPort
    int managementPort;
    @Autowired
    ApplicationContext context;
    @Autowired
    EmbeddingService service;
    @Autowired
    ModelHolder holder;

    @Test
    void startsAndEmbedsWithoutADatabase() {
        assertThat(context.getBeansOfType(DataSource.class)).isEmpty();
        assertThat(context.getBeansOfType(EmbeddingCache.class)).isEmpty();
        assertThat(context.getBeansOfType(PooledEncoderDecorator.class)).isEmpty();
        await("the model", Duration.ofSeconds(60), holder::isReady);

        assertThat(service.embed(List.of(EmbedInput.text("no cache")), EmbedOptions.defaults()).vectors()).hasSize(1);
        HttpProbe.Answer health = new HttpProbe(managementPort).get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("components").has("embeddingCache")).isFalse();
    }
}
