package io.embedserve.model.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.testsupport.FakeHub;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetch mode against a local fake Hub: what lands in the cache and in which layout, what is
 * never downloaded, and what a corrupted, interrupted, refused or unreachable download leaves.
 */
class FetchCommandTest {

    static final String MODEL_ID = "acme/tiny-embedder";
    static final String FOLDER = "models--acme--tiny-embedder";
    static final String COMMIT = "1234567890abcdef1234567890abcdef12345678";
    static final String CONFIG = "{\"model_type\": \"bert\", \"hidden_size\": 8}";
    static final String TOKENIZER = "{\"version\": \"1.0\", \"model\": {\"type\": \"WordPiece\"}}";
    static final String MODULES = "[{\"idx\": 0, \"name\": \"0\", \"path\": \"\","
            + " \"type\": \"sentence_transformers.models.Transformer\"},"
            + " {\"idx\": 1, \"name\": \"1\", \"path\": \"1_Pooling\", \"type\": \"sentence_transformers.models.Pooling\"},"
            + " {\"idx\": 2, \"name\": \"2\", \"path\": \"2_Normalize\", \"type\": \"sentence_transformers.models.Normalize\"}]";
    static final String POOLING = "{\"word_embedding_dimension\": 8, \"pooling_mode_mean_tokens\": true}";

    @TempDir
    Path tmp;

    FakeHub hub;
    byte[] weights;
    Path hubCache;
    Path repo;

    @BeforeEach
    void startHub() {
        hub = new FakeHub();
        weights = new byte[2 * 1024 * 1024 + 123];
        new Random(7).nextBytes(weights);
        hubCache = tmp.resolve("hub");
        repo = hubCache.resolve(FOLDER);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    /** The files a sentence-transformers repository holds, of which the service reads six. */
    FakeHub.Repo fullRepository() {
        return hub.repo(MODEL_ID, COMMIT)
                .file(".gitattributes", "*.safetensors filter=lfs diff=lfs merge=lfs -text\n")
                .file("README.md", "# tiny\n")
                .file("config.json", CONFIG)
                .file("tokenizer.json", TOKENIZER)
                .file("modules.json", MODULES)
                .file("sentence_bert_config.json", "{\"max_seq_length\": 16}")
                .file("1_Pooling/config.json", POOLING)
                .lfsFile("model.safetensors", weights)
                .lfsFile("pytorch_model.bin", new byte[] {1, 2, 3})
                .lfsFile("onnx/model.onnx", new byte[] {4, 5, 6});
    }

    @Test
    void fetchesOnlyTheFilesTheServiceReadsIntoTheHubCacheLayout() throws IOException {
        fullRepository();

        Run run = fetch(Map.of());

        assertThat(run.status).as(run.toString()).isZero();
        assertThat(run.out).contains("fetched " + MODEL_ID + "@" + COMMIT + " (main): 6 files");
        Path snapshot = repo.resolve("snapshots").resolve(COMMIT);
        assertThat(filesUnder(snapshot)).containsExactlyInAnyOrder("config.json", "tokenizer.json", "modules.json",
                "sentence_bert_config.json", "1_Pooling/config.json", "model.safetensors");
        // huggingface_hub's names: an LFS file's blob is its sha256, a git file's its blob id.
        assertLinkedBlob(snapshot, "model.safetensors", FakeHub.sha256(weights), weights);
        assertLinkedBlob(snapshot, "config.json", FakeHub.gitBlobId(utf8(CONFIG)), utf8(CONFIG));
        assertLinkedBlob(snapshot, "1_Pooling/config.json", FakeHub.gitBlobId(utf8(POOLING)), utf8(POOLING));
        assertThat(Files.readString(repo.resolve("refs/main"))).isEqualTo(COMMIT);
        assertThat(filesUnder(repo.resolve("blobs"))).hasSize(6).noneMatch(name -> name.endsWith(".incomplete"));
        assertThat(hub.requests()).extracting(FakeHub.Request::path)
                .noneMatch(path -> path.contains("pytorch_model.bin") || path.contains("onnx")
                        || path.contains("README") || path.contains(".gitattributes"));
    }

    @Test
    void theLfsFileComesFromTheCdnItIsRedirectedToAndTheTokenStaysWithTheHub() {
        fullRepository();
        hub.requireToken("hf_secret");

        Run run = fetch(Map.of("HF_TOKEN", "hf_secret"));

        assertThat(run.status).as(run.toString()).isZero();
        assertThat(hub.requests("hub")).isNotEmpty().allMatch(r -> "Bearer hf_secret".equals(r.authorization()));
        assertThat(hub.requests("cdn")).extracting(FakeHub.Request::path)
                .containsExactly("/objects/" + FakeHub.sha256(weights));
        assertThat(hub.requests("cdn")).allMatch(r -> r.authorization() == null);
    }

    @Test
    void aPrivateRepositoryWithoutATokenIsRefusedWithWhatToSet() {
        fullRepository();
        hub.requireToken("hf_secret");

        Run run = fetch(Map.of());

        assertThat(run.status).isEqualTo(1);
        assertThat(run.err).contains("HTTP 401").contains("set HF_TOKEN");
        assertThat(hubCache.resolve(FOLDER)).doesNotExist();
    }

    @Test
    void aCorruptedDownloadFailsAndLeavesNothingThatLooksComplete() throws IOException {
        fullRepository();
        hub.corruptNextDownload(weights);

        Run run = fetch(Map.of());

        assertThat(run.status).isEqualTo(1);
        assertThat(run.err).contains("model.safetensors").contains("does not match the sha256 " + FakeHub.sha256(weights))
                .contains("run the command again");
        assertThat(repo.resolve("blobs").resolve(FakeHub.sha256(weights))).doesNotExist();
        assertThat(repo.resolve("blobs").resolve(FakeHub.sha256(weights) + ".incomplete")).doesNotExist();
        assertThat(repo.resolve("snapshots")).doesNotExist();
        assertThat(repo.resolve("refs")).doesNotExist();

        Run again = fetch(Map.of());

        assertThat(again.status).as(again.toString()).isZero();
        assertThat(repo.resolve("snapshots").resolve(COMMIT).resolve("model.safetensors")).hasBinaryContent(weights);
    }

    @Test
    void anInterruptedDownloadIsResumedWithARangeRequestByTheNextRun() throws IOException {
        fullRepository();
        int cut = 1024 * 1024 + 17;
        hub.cutNextDownload(weights, cut);
        Path incomplete = repo.resolve("blobs").resolve(FakeHub.sha256(weights) + ".incomplete");

        Run first = fetch(Map.of());

        // What arrived before the cut is kept; a dropped connection may lose the last bytes in flight.
        long kept = Files.size(incomplete);
        assertThat(kept).isPositive().isLessThanOrEqualTo(cut);
        assertThat(first.status).isEqualTo(1);
        assertThat(first.err).contains("stopped after " + kept + " of " + weights.length + " bytes")
                .contains("Run the same command again");
        assertThat(repo.resolve("refs")).doesNotExist();
        assertThat(repo.resolve("snapshots")).doesNotExist();

        Run second = fetch(Map.of());

        assertThat(second.status).as(second.toString()).isZero();
        List<FakeHub.Request> downloads = hub.requests("cdn");
        assertThat(downloads).hasSize(2);
        assertThat(downloads.get(0).range()).isNull();
        assertThat(downloads.get(1).range()).isEqualTo("bytes=" + kept + "-");
        assertThat(repo.resolve("snapshots").resolve(COMMIT).resolve("model.safetensors")).hasBinaryContent(weights);
        assertThat(incomplete).doesNotExist();
    }

    @Test
    void aSecondFetchOfTheSameRevisionDownloadsNothing() {
        fullRepository();
        assertThat(fetch(Map.of()).status).isZero();
        int before = hub.requests().size();

        Run again = fetch(Map.of());

        assertThat(again.status).as(again.toString()).isZero();
        assertThat(again.out).contains("0.0 MB downloaded");
        assertThat(hub.requests().subList(before, hub.requests().size())).extracting(FakeHub.Request::path)
                .containsExactly("/api/models/" + MODEL_ID + "/revision/main");
    }

    @Test
    void ifMissingDoesNotAskTheHubWhenTheServiceWouldFindTheModel() {
        fullRepository();
        assertThat(fetch(Map.of()).status).isZero();
        int before = hub.requests().size();

        Run check = fetch(Map.of(), "--if-missing");

        assertThat(check.status).isZero();
        assertThat(check.out).contains(MODEL_ID + "@main is in the cache");
        assertThat(hub.requests()).hasSize(before);
    }

    @Test
    void aRevisionPinnedByCommitIsFetchedWithoutWritingARef() {
        fullRepository();

        Run run = fetch(Map.of(), MODEL_ID, "--revision", COMMIT);

        assertThat(run.status).as(run.toString()).isZero();
        assertThat(repo.resolve("snapshots").resolve(COMMIT).resolve("model.safetensors")).hasBinaryContent(weights);
        assertThat(repo.resolve("refs")).doesNotExist();
    }

    @Test
    void shardedWeightsBringTheIndexAndEveryShardItNames() throws IOException {
        byte[] first = {1, 2, 3, 4};
        byte[] second = {5, 6, 7};
        hub.repo(MODEL_ID, COMMIT).file("config.json", CONFIG).file("tokenizer.json", TOKENIZER)
                .file("model.safetensors.index.json", "{\"metadata\": {}, \"weight_map\": {"
                        + "\"a.weight\": \"model-00001-of-00002.safetensors\","
                        + " \"b.weight\": \"model-00002-of-00002.safetensors\","
                        + " \"c.weight\": \"model-00002-of-00002.safetensors\"}}")
                .lfsFile("model-00001-of-00002.safetensors", first)
                .lfsFile("model-00002-of-00002.safetensors", second)
                .lfsFile("model-00003-of-00003.safetensors", new byte[] {9});

        Run run = fetch(Map.of());

        assertThat(run.status).as(run.toString()).isZero();
        Path snapshot = repo.resolve("snapshots").resolve(COMMIT);
        assertThat(filesUnder(snapshot)).containsExactlyInAnyOrder("config.json", "tokenizer.json",
                "model.safetensors.index.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors");
        assertThat(snapshot.resolve("model-00002-of-00002.safetensors")).hasBinaryContent(second);
    }

    @Test
    void aRepositoryWithOnlyPickleWeightsIsRefusedBeforeAnythingIsDownloaded() {
        hub.repo(MODEL_ID, COMMIT).file("config.json", CONFIG).file("tokenizer.json", TOKENIZER)
                .lfsFile("pytorch_model.bin", new byte[] {1, 2, 3});

        Run run = fetch(Map.of());

        assertThat(run.status).isEqualTo(1);
        assertThat(run.err).contains("has only pytorch_model.bin, a Python pickle").contains("safetensors only")
                .contains("--revision refs/pr/");
        assertThat(hub.requests()).extracting(FakeHub.Request::path)
                .containsExactly("/api/models/" + MODEL_ID + "/revision/main");
        assertThat(repo).doesNotExist();
    }

    @Test
    void aModuleFolderOutsideTheSnapshotIsRefused() {
        hub.repo(MODEL_ID, COMMIT).file("config.json", CONFIG).file("tokenizer.json", TOKENIZER)
                .lfsFile("model.safetensors", weights)
                .file("modules.json", "[{\"idx\": 1, \"path\": \"../../../escape\", \"type\": \"Pooling\"}]");

        Run run = fetch(Map.of());

        assertThat(run.status).isEqualTo(1);
        assertThat(run.err).contains("'../../../escape/config.json'").contains("not a plain relative path");
        assertThat(tmp.resolve("escape")).doesNotExist();
        assertThat(repo.resolve("snapshots")).doesNotExist();
    }

    @Test
    void anUnknownRevisionIsRefusedWithWhatToCheck() {
        fullRepository();

        Run run = fetch(Map.of(), MODEL_ID, "--revision", "v9");

        assertThat(run.status).isEqualTo(1);
        assertThat(run.err).contains("HTTP 404").contains("Check the model id and the revision");
    }

    @Test
    void offlineItSaysInOneLineWhatToRunWhereTheHubCanBeReached() {
        Run run = fetch(Map.of("HF_HUB_OFFLINE", "1"));

        assertThat(run.status).isEqualTo(FetchCommand.EXIT_OFFLINE);
        assertThat(run.err.strip()).doesNotContain("\n")
                .contains(MODEL_ID + "@main is not in " + hubCache)
                .contains("HF_HUB_OFFLINE is set")
                .contains("`./embedserve fetch " + MODEL_ID + " --revision main`");
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void anUnreachableHubIsTheSameOneLineAsOffline() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        Run run = fetch(Map.of("HF_ENDPOINT", "http://127.0.0.1:" + closedPort));

        assertThat(run.status).isEqualTo(FetchCommand.EXIT_OFFLINE);
        assertThat(run.err.strip()).doesNotContain("\n").contains("the Hub cannot be reached")
                .contains("`./embedserve fetch " + MODEL_ID + " --revision main`");
    }

    @Test
    void theCacheIsHfHomesHubWhenHfHubCacheIsUnset() {
        fullRepository();
        Map<String, String> env = new HashMap<>(Map.of("HF_ENDPOINT", hub.endpoint(), "MODEL_ID", MODEL_ID,
                "HF_HOME", tmp.resolve("hf-home").toString()));

        Run run = run(env);

        assertThat(run.status).as(run.toString()).isZero();
        assertThat(tmp.resolve("hf-home/hub").resolve(FOLDER).resolve("refs/main")).hasContent(COMMIT);
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        Run run = fetch(Map.of(), "--revisoin", "main");

        assertThat(run.status).isEqualTo(2);
        assertThat(run.err).contains("unexpected argument '--revisoin'").contains("usage: fetch");
    }

    /** Runs the command with MODEL_ID from the environment unless an argument names it. */
    Run fetch(Map<String, String> extra, String... args) {
        Map<String, String> env = new HashMap<>(Map.of("HF_ENDPOINT", hub.endpoint(),
                "HF_HUB_CACHE", hubCache.toString(), "MODEL_ID", MODEL_ID, "HF_HOME", tmp.resolve("no-home").toString()));
        env.putAll(extra);
        return run(env, args);
    }

    static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> arguments = new ArrayList<>(List.of(args));
        arguments.add("--no-progress");
        int status = FetchCommand.run(arguments.toArray(String[]::new), env,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    record Run(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    static void assertLinkedBlob(Path snapshot, String file, String blobName, byte[] content) throws IOException {
        Path link = snapshot.resolve(file);
        assertThat(Files.isSymbolicLink(link)).as(file + " is a symlink").isTrue();
        String up = "../".repeat(file.split("/").length + 1);
        assertThat(Files.readSymbolicLink(link).toString()).isEqualTo(up + "blobs/" + blobName);
        assertThat(link).hasBinaryContent(content);
    }

    static List<String> filesUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !Files.isDirectory(p)).map(p -> dir.relativize(p).toString()).toList();
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
