package io.embedserve.model.hub;

import io.embedserve.error.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The two calls a fetch makes to the Hub: the revision API, and a file's {@code /resolve/} URL.
 * Redirects are followed here rather than by the HTTP client, so that the token goes only to the
 * Hub itself: an LFS file's {@code /resolve/} answers 302 with a signed URL on a CDN, which must
 * not see it. A renamed repository answers with a relative redirect on the Hub, which keeps it.
 */
final class HubClient {

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final int MAX_REDIRECTS = 10;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration API_TIMEOUT = Duration.ofSeconds(30);
    private static final String USER_AGENT = "embedserve-fetch; java/" + Runtime.version().feature();

    private final HubAccess access;
    private final HttpClient http;

    HubClient(HubAccess access) {
        this(access, HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build());
    }

    HubClient(HubAccess access, HttpClient http) {
        this.access = access;
        this.http = http;
    }

    /** Resolves {@code revision} (a branch, tag or commit) of {@code repoId} to its commit and files. */
    RepoRevision revision(String repoId, String revision) {
        URI uri = URI.create(access.endpoint() + "/api/models/" + repoId + "/revision/"
                + URLEncoder.encode(revision, StandardCharsets.UTF_8) + "?blobs=true");
        HttpResponse<byte[]> response = send(uri, Map.of(), API_TIMEOUT, BodyHandlers.ofByteArray());
        int status = response.statusCode();
        if (status != 200) {
            throw new ModelLoadException(refusal(status, repoId + " at revision '" + revision + "'", uri));
        }
        return RepoRevision.parse(response.body(), uri.toString());
    }

    /**
     * Brings {@code incomplete} up to the whole of {@code file} at {@code commit}, continuing from
     * the bytes it already holds with an HTTP Range request. A server that ignores the range
     * answers 200 and the file is written again from its start. Bytes are written as they arrive,
     * so an interrupted download keeps what it received for the next run.
     */
    void download(String repoId, String commit, RepoFile file, Path incomplete, Progress progress) {
        URI uri = URI.create(access.endpoint() + "/" + repoId + "/resolve/" + commit + "/" + encodePath(file.path()));
        long have = Files.isRegularFile(incomplete) ? size(incomplete) : 0;
        if (have >= file.size()) {
            if (have == file.size()) {
                return;
            }
            have = 0; // longer than the file: not a prefix of it
        }
        Map<String, String> range = have > 0 ? Map.of("Range", "bytes=" + have + "-") : Map.of();
        HttpResponse<InputStream> response = send(uri, range, null, BodyHandlers.ofInputStream());
        int status = response.statusCode();
        boolean resumed = status == 206 && have > 0
                && response.headers().firstValue("Content-Range").orElse("").startsWith("bytes " + have + "-");
        if (!resumed && status != 200) {
            close(response.body());
            throw new ModelLoadException(refusal(status, file.path() + " of " + repoId + "@" + commit, uri));
        }
        long written = resumed ? have : 0;
        progress.start(file.path(), file.size(), written);
        try (InputStream body = response.body();
                FileChannel out = FileChannel.open(incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                out.write(ByteBuffer.wrap(buffer, 0, n));
                written += n;
                progress.advance(written);
            }
            out.force(true);
        } catch (IOException e) {
            progress.stop();
            throw new ModelLoadException("The download of " + file.path() + " from " + hostOf(uri) + " stopped after "
                    + written + " of " + file.size() + " bytes (" + e.getMessage() + "). Run the same command"
                    + " again: it continues from " + incomplete + ".", e);
        }
        progress.stop();
        if (written != file.size()) {
            throw new ModelLoadException("The download of " + file.path() + " ended after " + written + " of "
                    + file.size() + " bytes. Run the same command again: it continues from " + incomplete + ".");
        }
    }

    private <T> HttpResponse<T> send(URI first, Map<String, String> headers, Duration timeout, BodyHandler<T> handler) {
        URI uri = first;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().header("User-Agent", USER_AGENT);
            headers.forEach(request::header);
            if (access.token() != null && access.isHub(uri)) {
                request.header("Authorization", "Bearer " + access.token());
            }
            if (timeout != null) {
                request.timeout(timeout);
            }
            HttpResponse<T> response;
            try {
                response = http.send(request.build(), info -> REDIRECTS.contains(info.statusCode())
                        ? BodySubscribers.<T>replacing(null) : handler.apply(info));
            } catch (IOException e) {
                throw new ModelLoadException("Cannot reach the Hugging Face Hub at " + hostOf(uri) + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelLoadException("Interrupted while talking to " + hostOf(uri), e);
            }
            if (!REDIRECTS.contains(response.statusCode())) {
                return response;
            }
            String location = response.headers().firstValue("Location").orElseThrow(() -> new ModelLoadException(
                    first + " answered " + response.statusCode() + " without a Location to go to."));
            uri = uri.resolve(location);
        }
        throw new ModelLoadException(first + " redirected more than " + MAX_REDIRECTS + " times.");
    }

    private String refusal(int status, String what, URI uri) {
        String fix = switch (status) {
            case 401, 403 -> access.token() == null
                    ? " The repository is private or gated, or does not exist: check the id, and set HF_TOKEN to"
                            + " a token that may read it (after accepting its terms on the Hub, if it is gated)."
                    : " The token in HF_TOKEN may not read it (a gated repository needs its terms accepted"
                            + " on the Hub), or the repository does not exist: check the id.";
            case 404 -> " Check the model id and the revision (a branch, tag or 40-hex commit).";
            case 429 -> " The Hub is rate-limiting this address: wait a minute, or set HF_TOKEN.";
            default -> "";
        };
        return "The Hub refused " + what + " (HTTP " + status + " from " + uri + ")." + fix;
    }

    /** Each segment percent-encoded, the slashes between them kept. */
    private static String encodePath(String path) {
        StringBuilder encoded = new StringBuilder();
        for (String segment : path.split("/", -1)) {
            if (encoded.length() > 0) {
                encoded.append('/');
            }
            encoded.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return encoded.toString();
    }

    private static String hostOf(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void close(InputStream body) {
        try {
            body.close();
        } catch (IOException ignored) {
            // the response is refused anyway
        }
    }
}
