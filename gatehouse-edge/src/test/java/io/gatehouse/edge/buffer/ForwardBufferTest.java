package io.gatehouse.edge.buffer;

import static io.gatehouse.edge.buffer.TestBuffers.appendAll;
import static io.gatehouse.edge.buffer.TestBuffers.limits;
import static io.gatehouse.edge.buffer.TestBuffers.message;
import static io.gatehouse.edge.buffer.TestBuffers.messages;
import static io.gatehouse.edge.buffer.TestBuffers.number;
import static io.gatehouse.edge.buffer.TestBuffers.sequences;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gatehouse.core.error.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ForwardBufferTest extends BufferTestBase {
  @Test
  void roundTripsEveryFieldThroughAppendPeekAndAcknowledge() {
    ForwardBuffer buffer = open();
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("content-type", "application/json");
    properties.put("temperature-unit", "°C");
    BufferedMessage sent = new BufferedMessage("thermo-7", properties, TestBuffers.utf8("{\"t\":21.5}"),
        Instant.parse("2025-03-04T05:06:07.123Z"));

    long sequence = buffer.append(sent).join();

    assertThat(sequence).isEqualTo(1);
    assertThat(buffer.peek(0, 10)).containsExactly(new BufferedEntry(1, sent));
    assertThat(buffer.peek(1, 10)).isEmpty();
    BufferStats stats = buffer.stats();
    assertThat(stats.depthMessages()).isEqualTo(1);
    assertThat(stats.oldestSequence()).isEqualTo(1);
    assertThat(stats.oldestCreatedAt()).isEqualTo(sent.createdAt());
    assertThat(stats.appended()).isEqualTo(1);

    buffer.acknowledge(1);

    assertThat(buffer.peek(0, 10)).isEmpty();
    assertThat(buffer.stats()).satisfies(s -> {
      assertThat(s.isEmpty()).isTrue();
      assertThat(s.depthBytes()).isZero();
      assertThat(s.acknowledged()).isEqualTo(1);
      assertThat(s.oldestCreatedAt()).isNull();
    });
  }

  @Test
  void keepsEachAppendersOrderWithContiguousSequencesAndSharesFsyncs() throws Exception {
    ForwardBuffer buffer = open();
    int threads = 8;
    int perThread = 250;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<List<Long>>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String device = "dev-" + t;
      results.add(pool.submit(() -> {
        start.await();
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < perThread; i++) {
          futures.add(buffer.append(new BufferedMessage(device, Map.of("i", Integer.toString(i)), new byte[16],
              clock.instant())));
        }
        return futures.stream().map(CompletableFuture::join).toList();
      }));
    }
    start.countDown();
    List<Long> all = new ArrayList<>();
    for (Future<List<Long>> result : results) {
      List<Long> mine = result.get();
      assertThat(mine).isSorted();
      all.addAll(mine);
    }
    pool.shutdown();

    assertThat(all).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, threads * perThread).boxed().toList());
    List<BufferedEntry> entries = buffer.peek(0, threads * perThread + 1);
    assertThat(sequences(entries)).isEqualTo(LongStream.rangeClosed(1, threads * perThread).boxed().toList());
    Map<String, Integer> lastIndex = new LinkedHashMap<>();
    for (BufferedEntry entry : entries) {
      int index = Integer.parseInt(entry.message().properties().get("i"));
      assertThat(index).isEqualTo(lastIndex.getOrDefault(entry.message().deviceId(), -1) + 1);
      lastIndex.put(entry.message().deviceId(), index);
    }
    BufferStats stats = buffer.stats();
    assertThat(stats.appended()).isEqualTo(threads * perThread);
    assertThat(stats.syncs()).as("fsyncs for %d appends", stats.appended()).isPositive().isLessThan(stats.appended());
  }

  @Test
  void peekPagesThroughInOrder() {
    ForwardBuffer buffer = open();
    appendAll(buffer, messages(1, 25));

    assertThat(sequences(buffer.peek(0, 10))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(sequences(buffer.peek(20, 10))).containsExactly(21L, 22L, 23L, 24L, 25L);
    assertThat(buffer.peek(10, 1)).singleElement().satisfies(e -> assertThat(number(e)).isEqualTo("0011"));
  }

  @Test
  void theAcknowledgedPositionReachesDiskWithoutAClose() throws Exception {
    ForwardBuffer buffer = open();
    appendAll(buffer, messages(1, 10));

    buffer.acknowledge(4);

    // the cursor is written off the caller's thread: what a crash now would find on disk
    await().atMost(Duration.ofSeconds(5)).until(() -> buffer.persistedPosition() == 4);
    assertThat(new CursorFile(directory).read()).isEqualTo(4);
    buffer.acknowledge(7);
    await().atMost(Duration.ofSeconds(5)).until(() -> buffer.persistedPosition() == 7);
    assertThat(new CursorFile(directory).read()).isEqualTo(7);
  }

  @Test
  void restartKeepsUnacknowledgedDropsAcknowledgedAndContinuesSequences() {
    ForwardBuffer first = open();
    appendAll(first, messages(1, 10));
    first.acknowledge(4);
    first.close();

    ForwardBuffer second = open();
    assertThat(sequences(second.peek(0, 100))).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
    assertThat(second.peek(0, 100)).extracting(BufferedEntry::message).containsExactlyElementsOf(messages(5, 10));
    assertThat(second.append(message(11)).join()).isEqualTo(11);
    assertThat(second.stats().lastSequence()).isEqualTo(11);
    second.close();

    ForwardBuffer third = open();
    assertThat(sequences(third.peek(0, 100))).containsExactly(5L, 6L, 7L, 8L, 9L, 10L, 11L);
  }

  @Test
  void acknowledgingIsIdempotentAndOnlyForStoredSequences() {
    ForwardBuffer buffer = open();
    appendAll(buffer, messages(1, 3));

    buffer.acknowledge(2);
    buffer.acknowledge(2);
    buffer.acknowledge(1);

    assertThat(sequences(buffer.peek(0, 10))).containsExactly(3L);
    assertThat(buffer.stats().acknowledged()).isEqualTo(2);
    assertThatThrownBy(() -> buffer.acknowledge(4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("through sequence 4")
        .hasMessageContaining("stored only up to 3");
  }

  @Test
  void closeWritesEverythingAlreadyQueuedAndIsIdempotent() {
    ForwardBuffer buffer = open();
    List<CompletableFuture<Long>> futures = new ArrayList<>();
    for (int i = 1; i <= 300; i++) {
      futures.add(buffer.append(message(i)));
    }

    buffer.close();
    buffer.close();

    assertThat(futures).allSatisfy(f -> assertThat(f).isCompleted().isNotCompletedExceptionally());
    assertThat(open().peek(0, 1000)).hasSize(300);
  }

  @Test
  void refusesWorkAfterClose() {
    ForwardBuffer buffer = open();
    buffer.close();

    assertThatThrownBy(() -> buffer.append(message(1)).join()).cause()
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> buffer.peek(0, 1)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> buffer.acknowledge(0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void refusesBadInputClearly() {
    ForwardBuffer buffer = open(limits(4096, 1 << 20));

    assertThatThrownBy(() -> buffer.append(null)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("message is null");
    assertThatThrownBy(() -> buffer.append(new BufferedMessage("dev", Map.of(), new byte[2 << 20], clock.instant()))
        .join()).cause().isInstanceOf(InvalidInputException.class).hasMessageContaining("more than 1048576 bytes");
    assertThatThrownBy(() -> buffer.append(new BufferedMessage("dev", Map.of(), new byte[5000], clock.instant()))
        .join()).cause().isInstanceOf(InvalidInputException.class).hasMessageContaining("maxBytes=4096");
    assertThatThrownBy(() -> buffer.peek(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> buffer.peek(0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(buffer.stats().appended()).isZero();
  }

  @Test
  void refusesASecondBufferOnTheSameDirectory() {
    open();

    assertThatThrownBy(() -> ForwardBuffer.open(directory, limits(1 << 20, 1 << 20), clock))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already in use");
  }

  @Test
  void limitsAreValidated() {
    assertThatThrownBy(() -> limits(0, 1)).hasMessageContaining("maxBytes must be positive");
    assertThatThrownBy(() -> limits(1, 0)).hasMessageContaining("segmentBytes must be positive");
    assertThatThrownBy(() -> new BufferLimits(1, java.time.Duration.ZERO, 1))
        .hasMessageContaining("maxAge must be positive");
  }

  private ForwardBuffer open() {
    return open(limits(1 << 20, 1 << 20));
  }
}
