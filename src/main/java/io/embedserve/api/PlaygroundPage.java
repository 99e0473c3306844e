package io.embedserve.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The playground page (src/main/resources/static: plain HTML, CSS and JavaScript modules that call
 * the public API), and which requests to GET / want it. TEI answers GET / as its health route and
 * probes written for TEI rely on that, so only a client that names text/html itself, as every
 * browser does, gets the page; curl's and probes' {@code *}/{@code *} or no Accept keep health.
 */
final class PlaygroundPage {

    private static final Resource PAGE = new ClassPathResource("static/index.html");
    private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

    private PlaygroundPage() {}

    static boolean wanted(String accept) {
        if (accept == null || accept.isBlank()) {
            return false;
        }
        List<MediaType> types;
        try {
            types = MediaType.parseMediaTypes(accept);
        } catch (InvalidMediaTypeException e) {
            return false; // a probe with a broken header still gets its health answer
        }
        return types.stream().anyMatch(type -> type.getType().equals("text") && type.getSubtype().equals("html")
                && type.getQualityValue() > 0);
    }

    /** no-cache: a new version of the service must not be hidden behind a cached page. */
    static ResponseEntity<Resource> response() {
        return ResponseEntity.ok().contentType(HTML).cacheControl(CacheControl.noCache()).body(PAGE);
    }
}
