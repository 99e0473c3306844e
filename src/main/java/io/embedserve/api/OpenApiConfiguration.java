package io.embedserve.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI description (springdoc, at TEI's /openapi.json) and Swagger UI (at TEI's /docs). The
 * paths, operations and schemas come from the controllers and their *Api interfaces; this adds what
 * belongs to the whole service.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration implements WebMvcConfigurer {

    static final String DOCS_PAGE = "/docs/swagger-ui/index.html";
    static final String BEARER = "apiKey";

    @Bean
    OpenAPI embedServeOpenApi(@Value("${embedserve.version:unknown}") String version) {
        return new OpenAPI()
                .info(new Info().title("EmbedServe").version(version).description("""
                        Sentence embeddings behind Hugging Face text-embeddings-inference's API and OpenAI's \
                        embeddings API. Try it in the playground at /."""))
                // Relative, so that "Try it out" calls the host the page came from, behind any proxy.
                .servers(List.of(new Server().url("/")))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("Needed only when the service runs with API_KEY or API_KEYS_FILE.")))
                // Either no key (the default) or a bearer key.
                .security(List.of(new SecurityRequirement(), new SecurityRequirement().addList(BEARER)));
    }

    @Bean
    ErrorResponses errorResponses(JsonMapper json) {
        return new ErrorResponses(json);
    }

    /**
     * swagger-core copies a request example's name into its description when it has none, and
     * Swagger UI then prints the bare name under the example drop-down; the summary says it better.
     */
    @Bean
    OpenApiCustomizer exampleNamesAreNotDescriptions() {
        return openApi -> openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
            if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
                operation.getRequestBody().getContent().values().stream()
                        .filter(media -> media.getExamples() != null)
                        .forEach(media -> media.getExamples().forEach((name, example) -> {
                            if (name.equals(example.getDescription())) {
                                example.setDescription(null);
                            }
                        }));
            }
        }));
    }

    /** springdoc serves the UI below its own page name; TEI's clients and people look for /docs. */
    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/docs", DOCS_PAGE);
        registry.addRedirectViewController("/docs/", DOCS_PAGE);
    }
}
