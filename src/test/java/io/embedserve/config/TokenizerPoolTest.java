package io.embedserve.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.embedserve.inference.ModelHolder;
import io.embedserve.inference.SentenceModel;
import io.embedserve.model.ModelSnapshot;
import io.embedserve.testsupport.TinyEncoderModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** On shutdown the tokenizer threads are drained before the model (and its native tokenizer) is closed. */
class TokenizerPoolTest {

    final ModelHolder holder = new ModelHolder();
    final CountDownLatch release = new CountDownLatch(1);
    SentenceModel model;

    @BeforeEach
    void loadModel() throws Exception {
        Path dir = TinyEncoderModel.xlmRoberta(11).writeTo(Files.createTempDirectory("tokenizer-pool"));
        model = SentenceModel.load(new ModelSnapshot(dir, "tiny", "local"), null);
        holder.set(model);
    }

    @AfterEach
    void closeModel() {
        release.countDown();
        model.close();
    }

    @Test
    void closeReturnsOnlyOnceARunningTokenizationHasFinished() throws Exception {
        TokenizerPool pool = new TokenizerPool(2, holder, Duration.ofSeconds(30));
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Integer> tokenization = CompletableFuture.supplyAsync(() -> {
            started.countDown();
            await(release);
            return holder.require().tokenizer().encode("hello world").length();
        }, pool);
        started.await(30, TimeUnit.SECONDS);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(pool::close);
        Thread.sleep(200);
        assertThat(closing).as("close waits for the running tokenization").isNotDone();
        release.countDown();
        closing.get(30, TimeUnit.SECONDS);

        assertThat(tokenization).isCompletedWithValue(4);
        assertThat(holder.isReady()).as("the model is left for Spring to close next").isTrue();
    }

    @Test
    void aTokenizationStillRunningAfterTheTimeoutKeepsTheModelOpen() throws Exception {
        TokenizerPool pool = new TokenizerPool(1, holder, Duration.ofMillis(100));
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Integer> tokenization = CompletableFuture.supplyAsync(() -> {
            started.countDown();
            await(release);
            return model.tokenizer().encode("hello world").length();
        }, pool);
        started.await(30, TimeUnit.SECONDS);

        pool.close();
        holder.close(); // what Spring does next: with the model detached, nothing is closed under the call

        release.countDown();
        assertThat(tokenization.get(30, TimeUnit.SECONDS)).isEqualTo(4);
        assertThat(holder.isReady()).isFalse();
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
