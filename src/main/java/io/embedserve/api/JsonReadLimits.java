package io.embedserve.api;

import io.embedserve.config.ServingProperties;
import org.springframework.boot.jackson.autoconfigure.JsonFactoryBuilderCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactoryBuilder;

/**
 * Jackson's read constraints for request bodies, sized so that every valid request within the
 * payload limit parses and nothing else costs the parser more than that. Past a limit Jackson stops
 * reading, and the request is a 400 in the route's error shape ({@link ApiExceptionHandler}).
 *
 * <p>String and document length follow PAYLOAD_LIMIT: a JSON string never has more characters than
 * its body has bytes, so one text as long as the whole body still parses, and the payload filter's
 * 413 comes first for anything longer. Nesting, number and field-name lengths are fixed: no valid
 * request comes near them. These replace Spring Boot's {@code spring.jackson.factory.constraints.read.*}
 * (this customizer runs after Spring Boot's), so that the limits are stated in one place.
 */
@Component
class JsonReadLimits implements JsonFactoryBuilderCustomizer, Ordered {

    /**
     * The deepest valid body has three levels ({@code {"inputs": [[101, 7592, 102]]}}); room for
     * clients that send extra fields of their own, far from the stack a deep document would need.
     */
    static final int MAX_NESTING_DEPTH = 32;
    /** An int64 token id has 19 digits; room for any double a client may print, not for a 1 MB number. */
    static final int MAX_NUMBER_LENGTH = 64;
    /** Field names are words like "truncation_direction"; an unknown one is ignored, a huge one refused. */
    static final int MAX_NAME_LENGTH = 256;

    private final long payloadLimit;

    JsonReadLimits(ServingProperties serving) {
        this.payloadLimit = serving.payloadLimit().toBytes();
    }

    @Override
    public void customize(JsonFactoryBuilder factory) {
        factory.streamReadConstraints(constraints());
    }

    StreamReadConstraints constraints() {
        return StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxNameLength(MAX_NAME_LENGTH)
                .maxStringLength((int) Math.min(Integer.MAX_VALUE, payloadLimit))
                .maxDocumentLength(payloadLimit)
                .build();
    }

    /** After Spring Boot's own customizer (order 0), which sets every read constraint from its properties. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
