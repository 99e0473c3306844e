package io.embedserve.cache;

import static io.embedserve.cache.CacheTesting.assertSameBits;
import static io.embedserve.cache.CacheTesting.await;
import static io.embedserve.cache.CacheTesting.settings;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.embedserve.inference.EmbedInput;
import io.embedserve.inference.EmbedOptions;
import io.embedserve.inference.Embeddings;
import io.embedserve.inference.ModelEmbeddingService;
import io.embedserve.inference.ModelHolder;
import io.embedserve.inference.SentenceModel;
import io.embedserve.inference.TruncationDirection;
import io.embedserve.inference.batch.BatchLimits;
import io.embedserve.inference.batch.BatchListener;
import io.embedserve.inference.batch.BatchQueue;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.TinyEncoderModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain with a real (tiny) model: embedding service → cache → batch queue → model. A
 * cached answer must be bit for bit what the same chain computes without the cache, after
 * normalisation and dimensions too, which the service applies after the cache stage.
 */
class RealModelCacheTest {

    @TempDir
    static Path dir;

    static final ModelHolder holder = new ModelHolder();
    static final AtomicInteger batches = new AtomicInteger();
    static HikariDataSource pool;
    static EmbeddingCache cache;
    static BatchQueue queue;

    static final List<EmbedInput> INPUTS = List.of(EmbedInput.text("hello world"),
            EmbedInput.text("a longer sentence with several more words in it"),
            new EmbedInput.TokenIds(new long[] {0, 5, 6, 7, 2}), EmbedInput.text("hello world"));

    @BeforeAll
    static void start() {
        TinyEncoderModel.xlmRoberta(11).writeTo(dir);
        holder.set(SentenceModel.load(new ModelSnapshot(dir, "tiny-xlmr", "local"), null));
        // PyTorch's last bits depend on a batch's shape, and how the queue groups concurrent inputs
        // depends on timing; one input per batch makes every computation of an input the same.
        // Batches are counted inside the model call: the queue's listener hears of a batch only
        // after the callers have their vectors.
        queue = new BatchQueue(sequences -> {
            batches.incrementAndGet();
            return holder.require().encodeBatch(sequences);
        }, new BatchLimits(4096, 1), BatchListener.NONE);
        pool = CachePostgres.migratedPool();
        cache = new EmbeddingCache(pool, settings(), new SimpleMeterRegistry());
    }

    @AfterAll
    static void stop() {
        cache.close();
        pool.close();
        queue.close();
        holder.close();
    }

    @BeforeEach
    void emptyCache() {
        CachePostgres.execute(pool, "DELETE FROM embedding_cache"); // the app role may not TRUNCATE
    }

    static long rows() {
        return CachePostgres.count(pool, "SELECT count(*) FROM embedding_cache");
    }

    @Test
    void aCachedEmbeddingIsBitForBitTheOneTheModelComputes() throws IOException {
        ModelKeyContexts contexts = new ModelKeyContexts(holder);
        await("the model files' hash", Duration.ofSeconds(10), () -> contexts.get() != null);
        assertThat(contexts.get().revision()).isEqualTo(ModelKeyContexts.fingerprint(dir)).startsWith("sha256:");
        ModelEmbeddingService uncached = new ModelEmbeddingService(holder, queue);
        ModelEmbeddingService cached = new ModelEmbeddingService(holder, cache.wrap(queue, contexts, () -> CacheScope.OPEN));
        EmbedOptions raw = new EmbedOptions(false, true, TruncationDirection.RIGHT, null, null);
        EmbedOptions normalizedAndCut = new EmbedOptions(true, true, TruncationDirection.RIGHT, 8, null);

        Embeddings first = cached.embed(INPUTS, raw);
        await("three distinct rows", Duration.ofSeconds(10), () -> rows() == 3);
        int computedBatches = batches.get();
        Embeddings hit = cached.embed(INPUTS, raw);
        Embeddings hitNormalized = cached.embed(INPUTS, normalizedAndCut);

        assertThat(batches).as("no forward pass for cached inputs").hasValue(computedBatches);
        Embeddings fresh = uncached.embed(INPUTS, raw);
        Embeddings freshNormalized = uncached.embed(INPUTS, normalizedAndCut);
        for (int i = 0; i < INPUTS.size(); i++) {
            assertSameBits(first.vectors().get(i), fresh.vectors().get(i));
            assertSameBits(hit.vectors().get(i), fresh.vectors().get(i));
            assertSameBits(hitNormalized.vectors().get(i), freshNormalized.vectors().get(i));
        }
        assertThat(hitNormalized.vectors().get(0)).hasSize(8);
        assertThat(hit.promptTokens()).isEqualTo(first.promptTokens());
    }

    @Test
    void anotherTruncationDirectionIsComputedNotServedFromTheCache() {
        ModelKeyContexts contexts = new ModelKeyContexts(holder);
        await("the model files' hash", Duration.ofSeconds(10), () -> contexts.get() != null);
        ModelEmbeddingService cached = new ModelEmbeddingService(holder, cache.wrap(queue, contexts, () -> CacheScope.OPEN));
        List<EmbedInput> one = List.of(EmbedInput.text("direction matters"));
        cached.embed(one, new EmbedOptions(false, true, TruncationDirection.RIGHT, null, null));
        await("the first row", Duration.ofSeconds(10), () -> rows() == 1);
        int before = batches.get();

        cached.embed(one, new EmbedOptions(false, true, TruncationDirection.LEFT, null, null));

        assertThat(batches.get()).isGreaterThan(before);
        await("a second row for the other direction", Duration.ofSeconds(10), () -> rows() == 2);
    }

    @Test
    void aModelDirectoryIsKeyedByItsFilesSoChangedWeightsNeverHitOldVectors() throws IOException {
        Path copy = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-copy"));
        TinyEncoderModel.xlmRoberta(11).writeTo(copy);
        String original = ModelKeyContexts.fingerprint(copy);
        assertThat(ModelKeyContexts.fingerprint(dir)).isEqualTo(original);

        TinyEncoderModel.xlmRoberta(12).writeTo(copy);

        assertThat(ModelKeyContexts.fingerprint(copy)).isNotEqualTo(original);
    }
}
