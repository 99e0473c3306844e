package io.embedserve.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How slowly a request body may arrive. A request holds a server thread while its body arrives, so
 * a few hundred clients that send a byte a second could hold every thread and starve everyone
 * else. After {@code grace}, a body must keep up {@code minRate} on average, counted from the end
 * of the grace time; slower, it is answered 408 and its connection closed. Binds from
 * EMBEDSERVE_REQUEST_BODY_MIN_RATE and EMBEDSERVE_REQUEST_BODY_GRACE.
 *
 * @param minRate bytes a second (16KB, 128 kbit/s: a 2 MB body may take two minutes); a body that
 *     arrives within the grace time is never measured
 * @param grace how long any body may take before its rate counts; embedding requests of a few
 *     kilobytes arrive well within it on any network
 */
@ConfigurationProperties("embedserve.request-body")
public record RequestBodyProperties(@DefaultValue("16KB") DataSize minRate, @DefaultValue("5s") Duration grace) {

    public RequestBodyProperties {
        if (minRate == null || minRate.toBytes() <= 0) {
            throw new IllegalArgumentException("embedserve.request-body.min-rate (EMBEDSERVE_REQUEST_BODY_MIN_RATE)"
                    + " must be a positive size a second such as 16KB, got " + minRate);
        }
        if (grace == null || grace.isNegative()) {
            throw new IllegalArgumentException("embedserve.request-body.grace (EMBEDSERVE_REQUEST_BODY_GRACE)"
                    + " must be a duration such as 5s, got " + grace);
        }
    }

    /** Whether {@code bytes} after {@code elapsed} fall behind the minimum rate. */
    public boolean tooSlow(long bytes, Duration elapsed) {
        Duration measured = elapsed.minus(grace);
        return !measured.isNegative() && !measured.isZero()
                && bytes < (double) minRate.toBytes() * measured.toNanos() / 1e9;
    }
}
