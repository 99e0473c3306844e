package io.embedserve.model.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where the Hub is and who asks, from huggingface_hub's own environment variables: HF_ENDPOINT
 * (a mirror), HF_TOKEN (else the token file {@code hf auth login} writes, HF_TOKEN_PATH or
 * {@code $HF_HOME/token}) and HF_HUB_OFFLINE.
 *
 * @param endpoint the Hub's base URL, without a trailing slash
 * @param token a Bearer token, or null
 * @param offline whether the Hub must not be contacted at all
 */
record HubAccess(URI endpoint, String token, boolean offline) {

    /** huggingface_hub's default for HF_ENDPOINT. */
    static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    private static final Set<String> TRUE = Set.of("1", "ON", "YES", "TRUE");

    HubAccess {
        String base = endpoint.toString();
        endpoint = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        token = token == null || token.isBlank() ? null : token.strip();
    }

    /** {@code hfHome} is HF_HOME's value or its default, ~/.cache/huggingface. */
    static HubAccess fromEnvironment(Map<String, String> env, Path hfHome) {
        String endpoint = blankToNull(env.get("HF_ENDPOINT"));
        String token = blankToNull(env.get("HF_TOKEN"));
        if (token == null) {
            String tokenPath = blankToNull(env.get("HF_TOKEN_PATH"));
            token = readToken(tokenPath != null ? Path.of(tokenPath) : hfHome.resolve("token"));
        }
        String offline = env.getOrDefault("HF_HUB_OFFLINE", "");
        return new HubAccess(URI.create(endpoint == null ? DEFAULT_ENDPOINT : endpoint), token,
                TRUE.contains(offline.strip().toUpperCase(Locale.ROOT)));
    }

    /** Whether {@code uri} is on the Hub itself; only there is the token sent (never to a CDN it redirects to). */
    boolean isHub(URI uri) {
        return endpoint.getScheme().equalsIgnoreCase(uri.getScheme())
                && endpoint.getHost().equalsIgnoreCase(uri.getHost())
                && port(endpoint) == port(uri);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String readToken(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return blankToNull(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Hugging Face token file " + file, e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
