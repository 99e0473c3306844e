package io.embedserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.model.ModelLocation;
import io.embedserve.model.ModelLocator;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.RequiredTool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docker/model-init/copy-model.sh against temporary directories: a source laid out the way
 * huggingface_hub leaves its cache (blobs named by sha256, snapshot symlinks, refs/main) and an
 * empty folder standing in for the hf_cache volume.
 */
class CopyModelScriptTest {

    private static final Path SCRIPT = Shell.PROJECT.resolve("docker/model-init/copy-model.sh");
    private static final String MODEL_ID = HfCacheFixture.MODEL_ID;
    private static final String FOLDER = HfCacheFixture.FOLDER;
    private static final String COMMIT = HfCacheFixture.COMMIT;

    @TempDir
    Path tmp;

    private Path source;
    private Path hubCache;
    private Path repo;
    private Path snapshot;

    @BeforeEach
    void layOutSourceCache() throws IOException {
        source = tmp.resolve("image/opt/model-cache");
        hubCache = tmp.resolve("volume/hf_cache/hub");
        repo = hubCache.resolve(FOLDER);
        snapshot = repo.resolve("snapshots").resolve(COMMIT);

        HfCacheFixture.write(source.resolve("hub"));
    }

    @Test
    void firstRunPublishesAByteIdenticalSnapshotWithRefsAndMarker() throws IOException {
        buildManifest("main");

        Shell.Result result = copy();

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("published " + MODEL_ID + "@" + COMMIT);
        assertPublishedAndIdentical();
        assertThat(Files.readString(repo.resolve("refs/main"))).isEqualTo(COMMIT);
        assertThat(Files.readSymbolicLink(snapshot.resolve("model.safetensors")).toString())
                .as("snapshot entries stay relative links into blobs/, as huggingface_hub writes them")
                .startsWith("../../blobs/");
        assertThat(repo.resolve(".model-init-staging")).doesNotExist();
        assertThat(check().exitCode()).isZero();
    }

    @Test
    void secondRunWithTheSameRevisionCopiesNothing() throws IOException {
        buildManifest("main");
        assertThat(copy().exitCode()).isZero();
        Map<Path, FileTime> before = modificationTimes();

        Shell.Result second = copy();

        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.stdout()).contains("already complete").contains("nothing copied")
                .doesNotContain("copying");
        assertThat(modificationTimes()).isEqualTo(before);
    }

    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = {"staging", "snapshot", "refs"})
    void anInterruptedCopyNeverLooksCompleteAndARerunFinishesIt(String pausePoint) throws Exception {
        buildManifest("main");

        killWhilePausedAt(pausePoint);

        assertThat(snapshot.resolve(".complete")).as("marker after a kill at " + pausePoint).doesNotExist();
        assertThat(check().exitCode()).as("check after a kill at " + pausePoint).isEqualTo(1);
        switch (pausePoint) {
            case "staging" -> {
                assertThat(repo.resolve(".model-init-staging")).as("the half copy stays in staging").exists();
                assertThat(snapshot).doesNotExist();
                assertThat(repo.resolve("refs/main")).doesNotExist();
            }
            case "snapshot" -> {
                assertSnapshotFilesIdentical();
                assertThat(repo.resolve("refs/main")).doesNotExist();
            }
            default -> assertThat(Files.readString(repo.resolve("refs/main"))).isEqualTo(COMMIT);
        }

        Shell.Result rerun = copy();

        assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
        if (pausePoint.equals("staging")) {
            assertThat(rerun.stdout()).contains("left by an interrupted copy");
        } else {
            assertThat(rerun.stdout()).contains("already published and verified");
        }
        assertPublishedAndIdentical();
        assertThat(repo.resolve(".model-init-staging")).doesNotExist();
        assertThat(check().exitCode()).isZero();
    }

    @Test
    void aCorruptedSourceFailsClearlyAndPublishesNothing() throws IOException {
        buildManifest("main");
        Path weights = source.resolve("hub").resolve(FOLDER).resolve("snapshots").resolve(COMMIT)
                .resolve("model.safetensors").toRealPath();
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length / 2] ^= 0x01; // same size, different content: only the hash can tell
        Files.write(weights, bytes);

        Shell.Result result = copy();

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr())
                .contains("checksum mismatch for snapshots/" + COMMIT + "/model.safetensors")
                .contains("nothing was published");
        assertThat(snapshot).doesNotExist();
        assertThat(repo.resolve("refs/main")).doesNotExist();
        assertThat(repo.resolve(".model-init-staging")).doesNotExist();
    }

    @Test
    void aDamagedPublishedFileIsDetectedAndReplaced() throws IOException {
        buildManifest("main");
        assertThat(copy().exitCode()).isZero();
        Path weights = snapshot.resolve("model.safetensors").toRealPath();
        Files.write(weights, new byte[] {1, 2, 3});

        Shell.Result check = check();
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.stderr()).contains("model.safetensors has 3 bytes");

        Shell.Result rerun = copy();
        assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
        assertThat(rerun.stdout()).contains("replacing");
        assertPublishedAndIdentical();
    }

    @Test
    void aRevisionPinnedByCommitIsAlsoPublishedAsMainSoThatAPlainJavaJarFindsIt() throws IOException {
        buildManifest(COMMIT);

        Shell.Result result = run(Map.of("MODEL_ID", MODEL_ID, "MODEL_REVISION", COMMIT), "copy");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertPublishedAndIdentical();
        assertThat(repo.resolve("refs/main")).hasContent(COMMIT);
        // What the service does with MODEL_ID set and MODEL_REVISION left at its default.
        ModelSnapshot located = ModelLocator.locate(new ModelLocation(null, MODEL_ID, null, hubCache.toString(), null, null));
        assertThat(located.directory()).isEqualTo(snapshot);
        assertThat(located.revision()).isEqualTo(COMMIT);
        assertThat(run(Map.of("MODEL_ID", MODEL_ID, "MODEL_REVISION", "main"), "check").exitCode())
                .as("main names what the image carries").isZero();
    }

    @Test
    void anEmptyModelRefPublishesACommitWithoutInventingARef() throws IOException {
        Shell.Result manifest = run(Map.of("MODEL_ID", MODEL_ID, "MODEL_REVISION", COMMIT, "MODEL_REF", ""), "manifest");
        assertThat(manifest.exitCode()).as(manifest.toString()).isZero();

        Shell.Result result = copy();

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertPublishedAndIdentical();
        assertThat(repo.resolve("refs/main")).doesNotExist();
    }

    @Test
    void refusesToPublishARevisionOtherThanTheOneTheAppAsksFor() throws IOException {
        buildManifest("main");

        Shell.Result result = run(Map.of("MODEL_REVISION", "f".repeat(40)), "copy");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("MODEL_REVISION=" + "f".repeat(40)).contains("rebuild");
        assertThat(repo).doesNotExist();
    }

    @Test
    void manifestRefusesASnapshotWithoutSafetensorsWeights() throws IOException {
        Files.delete(source.resolve("hub").resolve(FOLDER).resolve("snapshots").resolve(COMMIT)
                .resolve("model.safetensors"));

        Shell.Result result = run(Map.of("MODEL_ID", MODEL_ID, "MODEL_REVISION", "main"), "manifest");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("lacks the files the service reads").contains("model.safetensors");
    }

    @Test
    void runsUnderBusyBoxLikeInTheAlpineImage() throws IOException {
        Path busybox = Stream.of("/bin/busybox", "/usr/bin/busybox").map(Path::of).filter(Files::isExecutable)
                .findFirst().orElse(null);
        RequiredTool.require(busybox != null,
                "busybox is not installed (apt-get install busybox); the alpine image's shell is not exercised here");
        // Outside @TempDir: JUnit warns about every link that points out of its folder.
        Path bin = Files.createTempDirectory("busybox-bin");
        Shell.Result result;
        try {
            for (String applet : Shell.run(new ProcessBuilder(busybox.toString(), "--list")).stdout().split("\n")) {
                if (!applet.isBlank()) {
                    Files.createSymbolicLink(bin.resolve(applet.strip()), busybox);
                }
            }
            buildManifest("main");

            Map<String, String> env = new HashMap<>(environment());
            env.put("PATH", bin.toString());
            ProcessBuilder builder = Shell.builder(SCRIPT, env, "copy");
            builder.command().set(0, bin.resolve("sh").toString());
            result = Shell.run(builder);
        } finally {
            try (Stream<Path> links = Files.list(bin)) {
                for (Path link : links.toList()) {
                    Files.delete(link);
                }
            }
            Files.delete(bin);
        }

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertPublishedAndIdentical();
    }

    private void buildManifest(String revision) {
        Shell.Result result = run(Map.of("MODEL_ID", MODEL_ID, "MODEL_REVISION", revision), "manifest");
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    private Shell.Result copy() {
        return run(Map.of(), "copy");
    }

    private Shell.Result check() {
        return run(Map.of(), "check");
    }

    private Shell.Result run(Map<String, String> extra, String command) {
        Map<String, String> env = new HashMap<>(environment());
        env.putAll(extra);
        return Shell.run(SCRIPT, env, command);
    }

    private Map<String, String> environment() {
        return Map.of("MODEL_SOURCE", source.toString(), "HF_HUB_CACHE", hubCache.toString());
    }

    /** Starts a copy that stops itself at {@code point}, then kills it the way an OOM kill or power cut would. */
    private void killWhilePausedAt(String point) throws Exception {
        Map<String, String> env = new HashMap<>(environment());
        env.put("MODEL_INIT_PAUSE_AT", point);
        Process process = Shell.builder(SCRIPT, env, "copy").redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            CompletableFuture<Boolean> paused = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        if (line.contains("paused at " + point)) {
                            return true;
                        }
                    }
                    return false;
                } catch (IOException e) {
                    return false;
                }
            });
            assertThat(paused.get(60, TimeUnit.SECONDS)).as("the script reached " + point).isTrue();
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private void assertPublishedAndIdentical() throws IOException {
        assertSnapshotFilesIdentical();
        assertThat(snapshot.resolve(".complete")).exists();
        assertThat(Files.readString(snapshot.resolve(".complete"))).contains("commit=" + COMMIT);
    }

    private void assertSnapshotFilesIdentical() throws IOException {
        Path sourceSnapshot = source.resolve("hub").resolve(FOLDER).resolve("snapshots").resolve(COMMIT);
        List<Path> expected;
        try (Stream<Path> walk = Files.walk(sourceSnapshot)) {
            expected = walk.filter(p -> !Files.isDirectory(p)).map(sourceSnapshot::relativize).sorted().toList();
        }
        assertThat(expected).hasSize(6);
        for (Path relative : expected) {
            Path published = snapshot.resolve(relative.toString());
            assertThat(published).as(relative.toString()).exists();
            assertThat(Files.mismatch(published, sourceSnapshot.resolve(relative))).as(relative.toString())
                    .isEqualTo(-1L);
        }
    }

    private Map<Path, FileTime> modificationTimes() throws IOException {
        Map<Path, FileTime> times = new HashMap<>();
        try (Stream<Path> walk = Files.walk(repo)) {
            for (Path path : walk.toList()) {
                times.put(path, Files.getLastModifiedTime(path, java.nio.file.LinkOption.NOFOLLOW_LINKS));
            }
        }
        return times;
    }

    @Test
    void aRerankerTheImageCarriesIsPublishedBesideTheModelAndCheckedWithIt() throws IOException {
        HfCacheFixture.writeReranker(source.resolve("rerank/hub"));
        Shell.Result manifest = run(Map.of("MODEL_ID", MODEL_ID, "MODEL_REVISION", "main",
                "RERANK_MODEL_ID", HfCacheFixture.RERANKER_ID, "RERANK_MODEL_REVISION", "main"), "manifest");
        assertThat(manifest.exitCode()).as(manifest.toString()).isZero();
        Map<String, String> app = Map.of("MODEL_ID", MODEL_ID, "MODEL_REVISION", "main",
                "RERANK_MODEL_ID", HfCacheFixture.RERANKER_ID, "RERANK_MODEL_REVISION", "main");

        Shell.Result first = run(app, "copy");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.stdout()).contains("published " + MODEL_ID + "@" + COMMIT)
                .contains("published " + HfCacheFixture.RERANKER_ID + "@" + HfCacheFixture.RERANKER_COMMIT);
        assertPublishedAndIdentical();
        Path rerankerSnapshot = hubCache.resolve(HfCacheFixture.RERANKER_FOLDER).resolve("snapshots")
                .resolve(HfCacheFixture.RERANKER_COMMIT);
        assertThat(rerankerSnapshot.resolve(".complete")).exists();
        // Where the service looks for RERANK_MODEL_ID at its default revision.
        ModelSnapshot located = ModelLocator.locate(
                new ModelLocation(null, HfCacheFixture.RERANKER_ID, null, hubCache.toString(), null, null));
        assertThat(located.revision()).isEqualTo(HfCacheFixture.RERANKER_COMMIT);
        assertThat(Files.mismatch(located.file("model.safetensors"), source.resolve("rerank/hub")
                .resolve(HfCacheFixture.RERANKER_FOLDER).resolve("snapshots").resolve(HfCacheFixture.RERANKER_COMMIT)
                .resolve("model.safetensors"))).isEqualTo(-1L);
        assertThat(run(app, "check").exitCode()).isZero();

        Shell.Result second = run(app, "copy");
        assertThat(second.stdout()).contains(HfCacheFixture.RERANKER_ID + "@" + HfCacheFixture.RERANKER_COMMIT
                + " is already complete").doesNotContain("copying");

        Files.delete(rerankerSnapshot.resolve(".complete"));
        Shell.Result incomplete = run(app, "check");
        assertThat(incomplete.exitCode()).as("check with the reranker incomplete").isEqualTo(1);
        assertThat(incomplete.stdout()).contains(HfCacheFixture.RERANKER_ID + "@" + HfCacheFixture.RERANKER_COMMIT
                + " is not complete");
    }

    @Test
    void refusesARerankerTheImageDoesNotCarryOrAnotherThanItCarries() throws IOException {
        buildManifest("main");
        Shell.Result missing = run(Map.of("RERANK_MODEL_ID", HfCacheFixture.RERANKER_ID), "copy");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("RERANK_MODEL_ID=" + HfCacheFixture.RERANKER_ID
                + " but this image carries no reranker");

        HfCacheFixture.writeReranker(source.resolve("rerank/hub"));
        assertThat(run(Map.of("MODEL_ID", MODEL_ID, "MODEL_REVISION", "main", "RERANK_MODEL_ID",
                HfCacheFixture.RERANKER_ID, "RERANK_MODEL_REVISION", "main"), "manifest").exitCode()).isZero();
        Shell.Result other = run(Map.of("RERANK_MODEL_ID", "BAAI/bge-reranker-base"), "copy");
        assertThat(other.exitCode()).isEqualTo(1);
        assertThat(other.stderr()).contains("this image carries " + HfCacheFixture.RERANKER_ID
                + " but RERANK_MODEL_ID=BAAI/bge-reranker-base");
    }
}
