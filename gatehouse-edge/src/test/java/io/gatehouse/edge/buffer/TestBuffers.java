package io.gatehouse.edge.buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/** Messages of a known size and helpers to look at the files a buffer left. */
final class TestBuffers {
  /** The frame size of every {@link #message} (see the format in {@link RecordCodec}). */
  static final int FRAME_BYTES = 100;
  static final Instant CREATED = Instant.parse("2025-03-04T05:06:07.123Z");

  private TestBuffers() {}

  /** A 100-byte record: numbered, so tests can tell messages apart. */
  static BufferedMessage message(int number) {
    return message(number, CREATED);
  }

  static BufferedMessage message(int number, Instant createdAt) {
    byte[] payload = new byte[52];
    Arrays.fill(payload, (byte) number);
    return new BufferedMessage("dev-1", Map.of("n", String.format("%04d", number)), payload, createdAt);
  }

  static BufferLimits limits(long maxBytes, long segmentBytes) {
    return new BufferLimits(maxBytes, Duration.ofDays(1), segmentBytes);
  }

  /** Segment size that fits exactly {@code records} of {@link #message}. */
  static long segmentOf(int records) {
    return SegmentFile.HEADER_BYTES + (long) records * FRAME_BYTES;
  }

  /** Appends all without waiting in between (so they share fsyncs), then waits for every one. */
  static List<Long> appendAll(ForwardBuffer buffer, List<BufferedMessage> messages) {
    List<CompletableFuture<Long>> futures = new ArrayList<>();
    messages.forEach(m -> futures.add(buffer.append(m)));
    return futures.stream().map(CompletableFuture::join).toList();
  }

  static List<BufferedMessage> messages(int from, int to) {
    List<BufferedMessage> messages = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      messages.add(message(i));
    }
    return messages;
  }

  static List<Long> sequences(List<BufferedEntry> entries) {
    return entries.stream().map(BufferedEntry::sequence).toList();
  }

  static String number(BufferedEntry entry) {
    return entry.message().properties().get("n");
  }

  static List<Path> segmentFiles(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".seg")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> segmentNames(Path directory) {
    return segmentFiles(directory).stream().map(p -> p.getFileName().toString()).toList();
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
