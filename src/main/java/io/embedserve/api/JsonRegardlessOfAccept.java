package io.embedserve.api;

import java.util.List;
import java.util.Set;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.accept.ContentNegotiationStrategy;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The API's routes answer JSON whatever the request's Accept names, as TEI and OpenAI do: a client
 * that sends {@code Accept: image/png}, or a browser's list without JSON, gets its answer rather
 * than a 406. The errors already are JSON whatever the Accept ({@link ApiExceptionHandler} sets
 * their Content-Type); this does the same for the answers. Every other handler (Swagger UI, the
 * OpenAPI description, Spring Boot's error page) still goes by the Accept header, and so does the
 * choice of a route: this applies once the route's handler is known.
 */
@Configuration(proxyBeanMethods = false)
class JsonRegardlessOfAccept implements WebMvcConfigurer {

    private static final Set<Class<?>> API = Set.of(TeiController.class, OpenAiController.class,
            TeiStatusController.class);
    private static final List<MediaType> JSON = List.of(MediaType.APPLICATION_JSON);

    /** Ahead of Accept, which is all Spring Boot's default negotiation reads. */
    @Override
    public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
        configurer.strategies(List.of(JsonRegardlessOfAccept::jsonForTheApi, new HeaderContentNegotiationStrategy()));
    }

    /** JSON for a request handled by the API's controllers; "no opinion" for anything else. */
    static List<MediaType> jsonForTheApi(NativeWebRequest request) {
        Object handler = request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE,
                RequestAttributes.SCOPE_REQUEST);
        return handler instanceof HandlerMethod method && API.contains(method.getBeanType())
                ? JSON
                : ContentNegotiationStrategy.MEDIA_TYPE_ALL_LIST;
    }
}
