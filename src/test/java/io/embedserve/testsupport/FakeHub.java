package io.embedserve.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in for the Hugging Face Hub on 127.0.0.1, speaking the protocol a fetch uses: the
 * revision API ({@code /api/models/{repo}/revision/{rev}?blobs=true}: the commit and each file's
 * size, git blob id and, for LFS files, sha256), {@code /{repo}/resolve/{rev}/{path}} serving a
 * git file itself and answering an LFS file with a 302 to a second server, the "CDN", on another
 * port (another origin, as the real CDN is), which honours Range requests. Faults can be injected
 * into the CDN's next answer for a file: a flipped byte, or a connection cut midway. Every request
 * is recorded.
 */
public final class FakeHub implements AutoCloseable {

    /** One request as a server saw it. */
    public record Request(String server, String path, String range, String authorization) {}

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer hub;
    private final HttpServer cdn;
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, byte[]> lfsObjects = new ConcurrentHashMap<>();
    private final Map<String, Long> cutAt = new ConcurrentHashMap<>();
    private final Map<String, Boolean> corrupt = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile String requiredToken;

    /** A repository: its commit, the branch names that point at it, and its files. */
    public static final class Repo {
        final String commit;
        final List<String> refs = new ArrayList<>(List.of("main"));
        final Map<String, byte[]> files = new LinkedHashMap<>();
        final Map<String, Boolean> lfs = new LinkedHashMap<>();

        Repo(String commit) {
            this.commit = commit;
        }

        /** A file kept in git: served by the Hub itself, with its git blob id as ETag. */
        public Repo file(String path, byte[] content) {
            files.put(path, content);
            lfs.put(path, false);
            return this;
        }

        public Repo file(String path, String content) {
            return file(path, content.getBytes(StandardCharsets.UTF_8));
        }

        /** A file kept in LFS: resolve redirects to the CDN, which serves it by its sha256. */
        public Repo lfsFile(String path, byte[] content) {
            files.put(path, content);
            lfs.put(path, true);
            return this;
        }

        /** Every regular file under {@code dir}; {@code *.safetensors} go to LFS, as the Hub's .gitattributes say. */
        public Repo files(Path dir) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                    String path = dir.relativize(file).toString().replace('\\', '/');
                    byte[] content = Files.readAllBytes(file);
                    if (path.endsWith(".safetensors")) {
                        lfsFile(path, content);
                    } else {
                        file(path, content);
                    }
                }
                return this;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public FakeHub() {
        try {
            hub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            cdn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        hub.createContext("/api/models/", exchange -> handle(exchange, "hub", this::revisionApi));
        hub.createContext("/", exchange -> handle(exchange, "hub", this::resolve));
        cdn.createContext("/objects/", exchange -> handle(exchange, "cdn", this::object));
        hub.start();
        cdn.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + hub.getAddress().getPort();
    }

    public Repo repo(String repoId, String commit) {
        Repo repo = new Repo(commit);
        repos.put(repoId, repo);
        return repo;
    }

    /** The Hub answers 401 to the API and to resolve unless the request carries this Bearer token. */
    public void requireToken(String token) {
        requiredToken = token;
    }

    /** The CDN's next answer for this content stops after {@code bytes} bytes and drops the connection. */
    public void cutNextDownload(byte[] content, long bytes) {
        cutAt.put(sha256(content), bytes);
    }

    /** The CDN's next answer for this content has one byte flipped (same length). */
    public void corruptNextDownload(byte[] content) {
        corrupt.put(sha256(content), true);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String server) {
        return requests.stream().filter(r -> r.server().equals(server)).toList();
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
    }

    public static String sha256(byte[] content) {
        return hex(digest("SHA-256").digest(content));
    }

    /** What {@code git hash-object} prints for this content. */
    public static String gitBlobId(byte[] content) {
        MessageDigest sha1 = digest("SHA-1");
        sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
        return hex(sha1.digest(content));
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private void handle(HttpExchange exchange, String server, Handler handler) throws IOException {
        requests.add(new Request(server, exchange.getRequestURI().getRawPath(),
                exchange.getRequestHeaders().getFirst("Range"), exchange.getRequestHeaders().getFirst("Authorization")));
        try (exchange) {
            handler.handle(exchange);
        }
    }

    private boolean authorized(HttpExchange exchange) throws IOException {
        if (requiredToken == null
                || ("Bearer " + requiredToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return true;
        }
        send(exchange, 401, "{\"error\": \"Invalid credentials in Authorization header\"}");
        return false;
    }

    private void revisionApi(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath().substring("/api/models/".length());
        int split = path.lastIndexOf("/revision/");
        Repo repo = split < 0 ? null : repos.get(path.substring(0, split));
        if (!authorized(exchange)) {
            return;
        }
        String revision = split < 0 ? "" : URLDecoder.decode(path.substring(split + "/revision/".length()),
                StandardCharsets.UTF_8);
        if (repo == null || !repo.commit.equals(revision) && !repo.refs.contains(revision)) {
            send(exchange, 404, "{\"error\": \"Revision Not Found\"}");
            return;
        }
        ObjectNode body = JSON.createObjectNode().put("id", path.substring(0, split)).put("sha", repo.commit);
        ArrayNode siblings = body.putArray("siblings");
        repo.files.forEach((name, content) -> {
            ObjectNode sibling = siblings.addObject().put("rfilename", name).put("size", content.length);
            if (repo.lfs.get(name)) {
                byte[] pointer = ("version https://git-lfs.github.com/spec/v1\noid sha256:" + sha256(content)
                        + "\nsize " + content.length + "\n").getBytes(StandardCharsets.US_ASCII);
                sibling.put("blobId", gitBlobId(pointer));
                sibling.putObject("lfs").put("sha256", sha256(content)).put("size", content.length)
                        .put("pointerSize", pointer.length);
            } else {
                sibling.put("blobId", gitBlobId(content));
            }
        });
        send(exchange, 200, JSON.writeValueAsString(body));
    }

    private void resolve(HttpExchange exchange) throws IOException {
        String[] parts = exchange.getRequestURI().getRawPath().substring(1).split("/", 5);
        Repo repo = parts.length == 5 && parts[2].equals("resolve") ? repos.get(parts[0] + "/" + parts[1]) : null;
        if (!authorized(exchange)) {
            return;
        }
        String file = repo == null ? null : URLDecoder.decode(parts[4], StandardCharsets.UTF_8);
        if (repo == null || !repo.commit.equals(parts[3]) && !repo.refs.contains(parts[3])
                || !repo.files.containsKey(file)) {
            send(exchange, 404, "{\"error\": \"Entry not found\"}");
            return;
        }
        byte[] content = repo.files.get(file);
        exchange.getResponseHeaders().set("X-Repo-Commit", repo.commit);
        if (repo.lfs.get(file)) {
            lfsObjects.put(sha256(content), content);
            exchange.getResponseHeaders().set("X-Linked-Etag", "\"" + sha256(content) + "\"");
            exchange.getResponseHeaders().set("X-Linked-Size", String.valueOf(content.length));
            exchange.getResponseHeaders().set("Location",
                    "http://127.0.0.1:" + cdn.getAddress().getPort() + "/objects/" + sha256(content) + "?signature=x");
            exchange.sendResponseHeaders(302, -1);
            return;
        }
        exchange.getResponseHeaders().set("ETag", "\"" + gitBlobId(content) + "\"");
        exchange.sendResponseHeaders(200, content.length);
        exchange.getResponseBody().write(content);
    }

    private void object(HttpExchange exchange) throws IOException {
        String sha = exchange.getRequestURI().getRawPath().substring("/objects/".length());
        byte[] content = lfsObjects.get(sha);
        if (content == null) {
            send(exchange, 404, "not found");
            return;
        }
        if (corrupt.remove(sha) != null) {
            content = Arrays.copyOf(content, content.length);
            content[content.length / 2] ^= 0x01;
        }
        long from = 0;
        String range = exchange.getRequestHeaders().getFirst("Range");
        Matcher matcher = range == null ? null : RANGE.matcher(range);
        if (matcher != null && matcher.matches()) {
            from = Long.parseLong(matcher.group(1));
            exchange.getResponseHeaders().set("Content-Range",
                    "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        exchange.sendResponseHeaders(from > 0 ? 206 : 200, content.length - from);
        OutputStream body = exchange.getResponseBody();
        Long cut = cutAt.remove(sha);
        if (cut != null) {
            body.write(content, (int) from, (int) (cut - from));
            body.flush();
            // Fewer bytes than Content-Length announced: closing now drops the connection.
            throw new IOException("fake hub: connection cut after " + cut + " bytes, as planned");
        }
        body.write(content, (int) from, (int) (content.length - from));
    }

    private static void send(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
