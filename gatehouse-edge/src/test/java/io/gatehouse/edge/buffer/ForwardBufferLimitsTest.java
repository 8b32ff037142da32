package io.gatehouse.edge.buffer;

import static io.gatehouse.edge.buffer.TestBuffers.FRAME_BYTES;
import static io.gatehouse.edge.buffer.TestBuffers.appendAll;
import static io.gatehouse.edge.buffer.TestBuffers.message;
import static io.gatehouse.edge.buffer.TestBuffers.messages;
import static io.gatehouse.edge.buffer.TestBuffers.segmentNames;
import static io.gatehouse.edge.buffer.TestBuffers.segmentOf;
import static io.gatehouse.edge.buffer.TestBuffers.sequences;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardBufferLimitsTest extends BufferTestBase {
  @Test
  void dropsTheOldestWhenFullAndCountsThem() {
    ForwardBuffer buffer = open(10 * FRAME_BYTES, Duration.ofDays(1), 1 << 20);

    appendAll(buffer, messages(1, 15));

    assertThat(sequences(buffer.peek(0, 100))).containsExactly(6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L);
    BufferStats stats = buffer.stats();
    assertThat(stats.depthMessages()).isEqualTo(10);
    assertThat(stats.depthBytes()).isEqualTo(10 * FRAME_BYTES);
    assertThat(stats.droppedForSpace()).isEqualTo(5);
    assertThat(stats.lastDroppedSequence()).isEqualTo(5);
    assertThat(stats.oldestSequence()).isEqualTo(6);
    assertThat(stats.appended()).isEqualTo(15);
  }

  @Test
  void dropsExpiredMessagesBeforeFreshOnesWhenFull() {
    ForwardBuffer buffer = open(5 * FRAME_BYTES, Duration.ofHours(1), 1 << 20);
    appendAll(buffer, List.of(message(1), message(2)));
    clock.advance(Duration.ofMinutes(90));
    appendAll(buffer, List.of(message(3, clock.instant()), message(4, clock.instant()), message(5, clock.instant())));

    buffer.append(message(6, clock.instant())).join();

    assertThat(sequences(buffer.peek(0, 100))).containsExactly(3L, 4L, 5L, 6L);
    assertThat(buffer.stats().droppedForAge()).isEqualTo(2);
    assertThat(buffer.stats().droppedForSpace()).isZero();
  }

  @Test
  void expiresMessagesOlderThanMaxAge() {
    ForwardBuffer buffer = open(1 << 20, Duration.ofHours(1), 1 << 20);
    appendAll(buffer, List.of(message(1, clock.instant()), message(2, clock.instant()), message(3, clock.instant())));
    clock.advance(Duration.ofMinutes(30));
    appendAll(buffer, List.of(message(4, clock.instant()), message(5, clock.instant())));
    clock.advance(Duration.ofMinutes(45));

    assertThat(sequences(buffer.peek(0, 100))).as("peek skips expired").containsExactly(4L, 5L);
    assertThat(buffer.stats().depthMessages()).isEqualTo(5);

    assertThat(buffer.expire()).isEqualTo(3);
    assertThat(buffer.expire()).isZero();

    BufferStats stats = buffer.stats();
    assertThat(stats.droppedForAge()).isEqualTo(3);
    assertThat(stats.depthMessages()).isEqualTo(2);
    assertThat(stats.oldestSequence()).isEqualTo(4);
    assertThat(stats.lastDroppedSequence()).isEqualTo(3);
  }

  @Test
  void expiresOldMessagesWhereverTheyAreAndCountsSkippedOnesOnAcknowledge() {
    ForwardBuffer buffer = open(1 << 20, Duration.ofHours(1), 1 << 20);
    appendAll(buffer, List.of(message(1, clock.instant().minus(Duration.ofMinutes(50))), message(2, clock.instant()),
        message(3, clock.instant().minus(Duration.ofMinutes(50))), message(4, clock.instant())));
    clock.advance(Duration.ofMinutes(20));

    assertThat(sequences(buffer.peek(0, 100))).containsExactly(2L, 4L);
    buffer.acknowledge(2);

    assertThat(buffer.stats().acknowledged()).isEqualTo(1);
    assertThat(buffer.stats().droppedForAge()).as("1 was skipped, never sent").isEqualTo(1);
    assertThat(buffer.expire()).isEqualTo(1);
    assertThat(sequences(buffer.peek(0, 100))).containsExactly(4L);
  }

  @Test
  void rollsSegmentsAndDeletesThemOnceFullyAcknowledged() {
    ForwardBuffer buffer = open(1 << 20, Duration.ofDays(1), segmentOf(5));

    appendAll(buffer, messages(1, 23));

    assertThat(segmentNames(directory)).containsExactly(SegmentFile.fileName(1), SegmentFile.fileName(6),
        SegmentFile.fileName(11), SegmentFile.fileName(16), SegmentFile.fileName(21));
    buffer.acknowledge(12);
    assertThat(segmentNames(directory)).containsExactly(SegmentFile.fileName(11), SegmentFile.fileName(16),
        SegmentFile.fileName(21));
    assertThat(buffer.stats().segments()).isEqualTo(3);

    buffer.acknowledge(23);
    assertThat(segmentNames(directory)).as("the newest is kept while open").containsExactly(SegmentFile.fileName(21));
    buffer.close();

    ForwardBuffer reopened = open(1 << 20, Duration.ofDays(1), segmentOf(5));
    assertThat(segmentNames(directory)).isEmpty();
    assertThat(reopened.append(message(24)).join()).isEqualTo(24);
    assertThat(segmentNames(directory)).containsExactly(SegmentFile.fileName(24));
  }

  @Test
  void deletesSegmentsEmptiedByDrops() {
    ForwardBuffer buffer = open(10 * FRAME_BYTES, Duration.ofDays(1), segmentOf(5));

    appendAll(buffer, messages(1, 30));

    assertThat(segmentNames(directory)).containsExactly(SegmentFile.fileName(21), SegmentFile.fileName(26));
    assertThat(buffer.stats().droppedForSpace()).isEqualTo(20);
  }

  private ForwardBuffer open(long maxBytes, Duration maxAge, long segmentBytes) {
    return open(new BufferLimits(maxBytes, maxAge, segmentBytes));
  }
}
