package io.gatehouse.edge.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.LimitExceededException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AppendWriterTest {
  private final GateCommitter committer = new GateCommitter();
  private AppendWriter writer;

  @AfterEach
  void tearDown() {
    committer.release();
    if (writer != null) {
      writer.close();
    }
  }

  @Test
  void failsAtOnceWhenTheQueueIsFull() throws Exception {
    writer = start(2);
    CompletableFuture<Long> inProgress = writer.submit(encoded());
    committer.awaitEntered();
    CompletableFuture<Long> queued1 = writer.submit(encoded());
    CompletableFuture<Long> queued2 = writer.submit(encoded());

    CompletableFuture<Long> refused = writer.submit(encoded());

    assertThat(refused).isCompletedExceptionally();
    assertThatThrownBy(refused::join).cause()
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("write queue is full (2 messages waiting")
        .hasMessageContaining("retry later");
    committer.release();
    assertThat(List.of(inProgress.get(5, TimeUnit.SECONDS), queued1.get(5, TimeUnit.SECONDS),
        queued2.get(5, TimeUnit.SECONDS))).containsExactly(1L, 2L, 3L);
  }

  @Test
  void commitsEverythingQueuedMeanwhileAsOneBatch() {
    writer = start(100);
    CompletableFuture<Long> first = writer.submit(encoded());
    committer.awaitEntered();
    List<CompletableFuture<Long>> waiting = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      waiting.add(writer.submit(encoded()));
    }

    committer.release();

    first.join();
    waiting.forEach(CompletableFuture::join);
    assertThat(committer.batchSizes).containsExactly(1, 10);
  }

  @Test
  void closeWritesWhatIsQueuedThenRefusesMore() {
    writer = start(100);
    committer.release();
    List<CompletableFuture<Long>> futures = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      futures.add(writer.submit(encoded()));
    }

    writer.close();
    writer.close();

    assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    assertThatThrownBy(() -> writer.submit(encoded()).join()).isInstanceOf(CompletionException.class)
        .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void aFailingBatchFailsOnlyItsOwnAppends() {
    AtomicLong calls = new AtomicLong();
    writer = new AppendWriter(batch -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("boom");
      }
      batch.forEach(p -> p.future().complete(calls.get()));
    }, 10, 10, "test-writer");
    writer.start();

    CompletableFuture<Long> failed = writer.submit(encoded());
    assertThatThrownBy(failed::join).cause().hasMessage("boom");
    assertThat(writer.submit(encoded()).join()).isEqualTo(2L);
  }

  private AppendWriter start(int capacity) {
    AppendWriter started = new AppendWriter(committer, capacity, 1024, "test-writer");
    started.start();
    return started;
  }

  private static EncodedMessage encoded() {
    return new EncodedMessage(new byte[10], 0);
  }

  /** Holds the writer inside its first batch until the test releases it. */
  private static final class GateCommitter implements AppendWriter.BatchCommitter {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private long nextSequence = 1;

    @Override
    public void commit(List<PendingAppend> batch) {
      entered.countDown();
      try {
        released.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      batchSizes.add(batch.size());
      batch.forEach(p -> p.future().complete(nextSequence++));
    }

    void awaitEntered() {
      try {
        assertThat(entered.await(5, TimeUnit.SECONDS)).as("writer took the first append").isTrue();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }

    void release() {
      released.countDown();
    }
  }
}
