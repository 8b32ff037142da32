package io.gatehouse.edge.buffer;

import static io.gatehouse.edge.buffer.TestBuffers.FRAME_BYTES;
import static io.gatehouse.edge.buffer.TestBuffers.appendAll;
import static io.gatehouse.edge.buffer.TestBuffers.limits;
import static io.gatehouse.edge.buffer.TestBuffers.message;
import static io.gatehouse.edge.buffer.TestBuffers.messages;
import static io.gatehouse.edge.buffer.TestBuffers.segmentFiles;
import static io.gatehouse.edge.buffer.TestBuffers.segmentNames;
import static io.gatehouse.edge.buffer.TestBuffers.segmentOf;
import static io.gatehouse.edge.buffer.TestBuffers.sequences;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Power loss and disk damage, simulated by editing the files of a closed buffer. */
class ForwardBufferRecoveryTest extends BufferTestBase {
  @Test
  void cutsARecordTornMidWriteAndCarriesOn() throws IOException {
    writeAndClose(10, 1 << 20);
    Path segment = segmentFiles(directory).getFirst();
    truncate(segment, Files.size(segment) - 30);

    ForwardBuffer reopened = open(1 << 20);

    assertThat(reopened.peek(0, 100)).extracting(BufferedEntry::message).containsExactlyElementsOf(messages(1, 9));
    assertThat(Files.size(segment)).isEqualTo(segmentOf(9));
    assertThat(reopened.append(message(100)).join()).isEqualTo(10);
    reopened.close();
    assertThat(sequences(open(1 << 20).peek(0, 100))).isEqualTo(range(1, 10));
  }

  @Test
  void cutsGarbageAfterTheLastGoodRecord() throws IOException {
    writeAndClose(5, 1 << 20);
    Path segment = segmentFiles(directory).getFirst();
    byte[] garbage = new byte[37];
    new Random(7).nextBytes(garbage);
    Files.write(segment, garbage, StandardOpenOption.APPEND);

    ForwardBuffer reopened = open(1 << 20);

    assertThat(sequences(reopened.peek(0, 100))).isEqualTo(range(1, 5));
    assertThat(Files.size(segment)).isEqualTo(segmentOf(5));
    assertThat(reopened.append(message(6)).join()).isEqualTo(6);
    reopened.close();
    assertThat(open(1 << 20).peek(0, 100)).extracting(BufferedEntry::message).containsExactlyElementsOf(messages(1, 6));
  }

  @Test
  void cutsATornRecordFollowedByGarbageAndAZeroFilledTail() throws IOException {
    writeAndClose(6, 1 << 20);
    Path segment = segmentFiles(directory).getFirst();
    truncate(segment, Files.size(segment) - 55);
    byte[] garbage = new byte[200];
    new Random(11).nextBytes(garbage);
    Files.write(segment, garbage, StandardOpenOption.APPEND);
    Files.write(segment, new byte[4096], StandardOpenOption.APPEND);

    ForwardBuffer reopened = open(1 << 20);

    assertThat(sequences(reopened.peek(0, 100))).isEqualTo(range(1, 5));
    assertThat(reopened.append(message(6)).join()).isEqualTo(6);
  }

  @Test
  void dropsASegmentCreatedButNeverWritten() throws IOException {
    writeAndClose(3, 1 << 20);
    Files.createFile(directory.resolve(SegmentFile.fileName(4)));

    ForwardBuffer reopened = open(1 << 20);

    assertThat(sequences(reopened.peek(0, 100))).isEqualTo(range(1, 3));
    assertThat(segmentNames(directory)).containsExactly(SegmentFile.fileName(1));
    assertThat(reopened.append(message(4)).join()).isEqualTo(4);
  }

  @Test
  void skipsTheRestOfAnOlderSegmentAfterACorruptRecordAndKeepsLaterSegments() throws IOException {
    writeAndClose(15, segmentOf(5));
    assertThat(segmentNames(directory))
        .containsExactly(SegmentFile.fileName(1), SegmentFile.fileName(6), SegmentFile.fileName(11));
    Path oldest = segmentFiles(directory).getFirst();
    flipByte(oldest, SegmentFile.HEADER_BYTES + 2L * FRAME_BYTES + 60);

    ForwardBuffer reopened = open(segmentOf(5));

    List<Long> expected = new ArrayList<>(List.of(1L, 2L));
    expected.addAll(range(6, 15));
    assertThat(sequences(reopened.peek(0, 100))).isEqualTo(expected);
    assertThat(reopened.stats().droppedCorrupt()).isEqualTo(3);
    assertThat(Files.size(oldest)).as("older segments are left as found").isEqualTo(segmentOf(5));
    assertThat(reopened.append(message(16)).join()).isEqualTo(16);
  }

  @Test
  void dropsARecordDamagedOnDiskWhileOpenInsteadOfStallingTheUplink() throws IOException {
    ForwardBuffer buffer = open(1 << 20);
    appendAll(buffer, messages(1, 3));
    flipByte(segmentFiles(directory).getFirst(), SegmentFile.HEADER_BYTES + FRAME_BYTES + 70);

    assertThat(sequences(buffer.peek(0, 10))).containsExactly(1L, 3L);
    assertThat(buffer.stats().droppedCorrupt()).isEqualTo(1);
    assertThat(buffer.stats().depthMessages()).isEqualTo(2);
  }

  @Test
  void neverReusesSequencesBelowThePersistedCursor() throws IOException {
    ForwardBuffer buffer = open(1 << 20);
    appendAll(buffer, messages(1, 5));
    buffer.acknowledge(5);
    buffer.close();
    for (Path segment : segmentFiles(directory)) {
      Files.delete(segment);
    }

    ForwardBuffer reopened = open(1 << 20);

    assertThat(reopened.peek(0, 10)).isEmpty();
    assertThat(reopened.append(message(6)).join()).isEqualTo(6);
  }

  @Test
  void anUnreadableCursorMeansResendingNotLosing() throws IOException {
    ForwardBuffer buffer = open(1 << 20);
    appendAll(buffer, messages(1, 4));
    buffer.acknowledge(2);
    buffer.close();
    Files.write(directory.resolve(CursorFile.FILE_NAME), new byte[] {1, 2, 3});

    assertThat(sequences(open(1 << 20).peek(0, 10))).isEqualTo(range(1, 4));
  }

  private void writeAndClose(int count, long segmentBytes) {
    ForwardBuffer buffer = open(segmentBytes);
    assertThat(appendAll(buffer, messages(1, count))).isEqualTo(range(1, count));
    buffer.close();
  }

  private ForwardBuffer open(long segmentBytes) {
    return open(limits(1 << 20, segmentBytes));
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }

  private static void flipByte(Path file, long offset) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, offset);
      one.put(0, (byte) (one.get(0) ^ 0x5A)).rewind();
      channel.write(one, offset);
    }
  }
}
