package io.embedserve.cache;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * The cache is on when spring.datasource.url (SPRING_DATASOURCE_URL) has a value and
 * embedserve.cache.enabled is not false. A blank URL (an empty variable in a compose file) counts as
 * unset, which {@code @ConditionalOnProperty} would not do.
 */
final class CacheEnabledCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String url = context.getEnvironment().getProperty("spring.datasource.url");
        if (!StringUtils.hasText(url)) {
            return ConditionOutcome.noMatch("spring.datasource.url is not set: embedding cache off");
        }
        if (!context.getEnvironment().getProperty("embedserve.cache.enabled", Boolean.class, true)) {
            return ConditionOutcome.noMatch("embedserve.cache.enabled is false: embedding cache off");
        }
        return ConditionOutcome.match("spring.datasource.url is set: embedding cache on");
    }
}
