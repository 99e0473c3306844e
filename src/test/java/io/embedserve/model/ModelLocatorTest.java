package io.embedserve.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.embedserve.error.ModelLoadException;
import io.embedserve.testsupport.TinyEncoderModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Hugging Face hub cache layout and MODEL_PATH, and every way locating a model can fail. */
class ModelLocatorTest {

    static final String REPO = "acme/tiny-encoder";
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final String OTHER_COMMIT = "fedcba9876543210fedcba9876543210fedcba98";

    @TempDir
    Path root;

    Path cache;
    Path repoDir;

    /** Lays the model out as huggingface_hub does: blobs/ holds content, snapshots/ links to it. */
    @BeforeEach
    void writeHubCache() throws IOException {
        cache = root.resolve("hub");
        repoDir = cache.resolve("models--acme--tiny-encoder");
        Path plain = TinyEncoderModel.xlmRoberta(1).writeTo(root.resolve("plain"));
        for (String commit : new String[] {COMMIT, OTHER_COMMIT}) {
            Path snapshot = repoDir.resolve("snapshots").resolve(commit);
            try (Stream<Path> files = Files.walk(plain)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    Path blob = repoDir.resolve("blobs").resolve(Integer.toHexString(file.toString().hashCode()) + commit.charAt(0));
                    Files.createDirectories(blob.getParent());
                    Files.copy(file, blob);
                    Path link = snapshot.resolve(plain.relativize(file).toString());
                    Files.createDirectories(link.getParent());
                    Files.createSymbolicLink(link, link.getParent().relativize(blob));
                }
            }
        }
        Files.createDirectories(repoDir.resolve("refs"));
        Files.writeString(repoDir.resolve("refs/main"), COMMIT);
        Files.writeString(repoDir.resolve("refs/v2"), OTHER_COMMIT + "\n");
    }

    ModelLocation inCache(String revision) {
        return new ModelLocation(null, REPO, revision, cache.toString(), null, null);
    }

    @Test
    void resolvesRefsMainToItsSnapshotThroughSymlinks() {
        ModelSnapshot snapshot = ModelLocator.locate(inCache(null));
        assertThat(snapshot.revision()).isEqualTo(COMMIT);
        assertThat(snapshot.modelId()).isEqualTo(REPO);
        assertThat(snapshot.directory()).isEqualTo(repoDir.resolve("snapshots").resolve(COMMIT));
        assertThat(Files.isSymbolicLink(snapshot.file("config.json"))).isTrue();
        assertThat(EncoderConfig.read(snapshot.file("config.json")).family()).isEqualTo(ModelFamily.XLM_ROBERTA);
    }

    @Test
    void resolvesANamedRefAndAnExplicitCommit() {
        assertThat(ModelLocator.locate(inCache("v2")).revision()).isEqualTo(OTHER_COMMIT);
        assertThat(ModelLocator.locate(inCache(OTHER_COMMIT)).directory().getFileName().toString()).isEqualTo(OTHER_COMMIT);
    }

    @Test
    void hfHomeMeansItsHubSubdirectory() {
        ModelLocation viaHome = new ModelLocation(null, REPO, null, null, root.toString(), null);
        assertThat(ModelLocator.locate(viaHome).revision()).isEqualTo(COMMIT);
    }

    @Test
    void defaultCacheIsUnderTheUserHome() {
        ModelLocation defaults = new ModelLocation(null, REPO, null, null, null, "/home/someone");
        assertThat(ModelLocator.hubCache(defaults)).isEqualTo(Path.of("/home/someone/.cache/huggingface/hub"));
    }

    @Test
    void modelPathWinsOverTheCache() {
        Path plain = root.resolve("plain");
        ModelLocation location = new ModelLocation(plain.toString(), REPO, null, "/nonexistent", null, null);
        ModelSnapshot snapshot = ModelLocator.locate(location);
        assertThat(snapshot.directory()).isEqualTo(plain.toAbsolutePath());
        assertThat(snapshot.revision()).isEqualTo("local");
    }

    @Test
    void rejectsMissingCacheNamingThePathAndVariable() {
        ModelLocation location = new ModelLocation(null, REPO, null, root.resolve("nope").toString(), null, null);
        assertThatThrownBy(() -> ModelLocator.locate(location))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(root.resolve("nope").toString())
                .hasMessageContaining("HF_HUB_CACHE");
    }

    @Test
    void rejectsModelNotInCache() {
        ModelLocation location = new ModelLocation(null, "acme/other", null, cache.toString(), null, null);
        assertThatThrownBy(() -> ModelLocator.locate(location))
                .hasMessageContaining("models--acme--other").hasMessageContaining("MODEL_ID");
    }

    @Test
    void rejectsUnknownRevision() {
        assertThatThrownBy(() -> ModelLocator.locate(inCache("v9")))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining(repoDir.resolve("refs/v9").toString())
                .hasMessageContaining("MODEL_REVISION");
    }

    @Test
    void rejectsCommitWhoseSnapshotIsMissing() {
        String absent = "1111111111111111111111111111111111111111";
        assertThatThrownBy(() -> ModelLocator.locate(inCache(absent)))
                .hasMessageContaining("snapshots/" + absent).hasMessageContaining("MODEL_REVISION");
    }

    @Test
    void rejectsMissingConfigJson() throws IOException {
        Files.delete(repoDir.resolve("snapshots").resolve(COMMIT).resolve("config.json"));
        assertThatThrownBy(() -> ModelLocator.locate(inCache(null)))
                .hasMessageContaining("config.json").hasMessageContaining(COMMIT);
    }

    @Test
    void rejectsDanglingTokenizerLink() throws IOException {
        Path link = repoDir.resolve("snapshots").resolve(COMMIT).resolve("tokenizer.json");
        Files.delete(link.getParent().resolve(Files.readSymbolicLink(link)));
        assertThatThrownBy(() -> ModelLocator.locate(inCache(null)))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("tokenizer.json");
    }

    @Test
    void rejectsMissingWeights() throws IOException {
        Files.delete(repoDir.resolve("snapshots").resolve(COMMIT).resolve("model.safetensors"));
        assertThatThrownBy(() -> ModelLocator.locate(inCache(null)))
                .hasMessageContaining("model.safetensors").hasMessageContaining("no weights");
    }

    @Test
    void rejectsSnapshotWithOnlyPytorchBinSayingHowToFix() throws IOException {
        Path snapshot = repoDir.resolve("snapshots").resolve(COMMIT);
        Files.delete(snapshot.resolve("model.safetensors"));
        Files.writeString(snapshot.resolve("pytorch_model.bin"), "pickle");
        assertThatThrownBy(() -> ModelLocator.locate(inCache(null)))
                .hasMessageContaining("only pytorch_model.bin").hasMessageContaining("safetensors");
    }

    @Test
    void rejectsModelPathThatIsNotADirectory() {
        assertThatThrownBy(() -> ModelLocator.locate(ModelLocation.ofDirectory(root.resolve("absent").toString())))
                .hasMessageContaining("MODEL_PATH").hasMessageContaining("absent");
    }
}
