package io.embedserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void findsTheMetricsButNotFunctionsLabelsRangesOrKeywords() {
        assertThat(PromQl.metricNames("""
                histogram_quantile(0.95, sum by (job, le) (rate(http_bucket{job="x", le=~"1|2"}[5m])))
                  / on (job) group_left sum(rate(errors_total{kind!="by"}[$__rate_interval] offset 5m)) > 0.5
                  and absent(up{job="a"} == 1) unless foo:bar:rate5m
                """)).containsExactlyInAnyOrder("http_bucket", "errors_total", "up", "foo:bar:rate5m");
    }

    @Test
    void aBareMetricIsItsOwnName() {
        assertThat(PromQl.metricNames("embedserve_queue_depth")).containsExactly("embedserve_queue_depth");
        assertThat(PromQl.metricNames("sum(x) without (instance) * 2e3")).containsExactly("x");
    }
}
