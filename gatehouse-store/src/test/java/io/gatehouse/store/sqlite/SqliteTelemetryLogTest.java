package io.gatehouse.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.error.LimitExceededException;
import io.gatehouse.core.message.MessageProperties;
import io.gatehouse.core.message.TelemetryMessage;
import io.gatehouse.core.testing.MutableClock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteTelemetryLogTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock();
  private SqliteTelemetryLog log;

  @BeforeEach
  void open() {
    log = SqliteTelemetryLog.open(file(), clock);
  }

  @AfterEach
  void close() {
    log.close();
  }

  private Path file() {
    return dir.resolve("data/telemetry.db");
  }

  private void reopen() {
    log.close();
    log = SqliteTelemetryLog.open(file(), clock);
  }

  private static TelemetryMessage message(String deviceId, int size) {
    byte[] payload = new byte[size];
    Arrays.fill(payload, (byte) deviceId.hashCode());
    return new TelemetryMessage(0, deviceId, null, Instant.EPOCH, MessageProperties.NONE, payload);
  }

  private List<TelemetryMessage> appendAll(int count, int size) {
    List<CompletableFuture<TelemetryMessage>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      futures.add(log.append(message("dev-" + (i % 7), size)));
    }
    return futures.stream().map(CompletableFuture::join).toList();
  }

  private List<TelemetryMessage> readAll() {
    List<TelemetryMessage> all = new ArrayList<>();
    List<TelemetryMessage> page;
    long from = 0;
    while (!(page = log.read(from, 5_000)).isEmpty()) {
      all.addAll(page);
      from = page.getLast().sequence() + 1;
    }
    return all;
  }

  /** A message with its payload compared by content, as records compare arrays by identity. */
  private record Content(long sequence, String deviceId, String gatewayId, Instant enqueuedAt,
      MessageProperties properties, ByteBuffer payload) {}

  private static List<Content> content(List<TelemetryMessage> messages) {
    return messages.stream().map(m -> new Content(m.sequence(), m.deviceId(), m.gatewayId(), m.enqueuedAt(),
        m.properties(), ByteBuffer.wrap(m.payload()))).toList();
  }

  /** Occupies the log's writer thread until the returned latch is released. */
  private CountDownLatch stallWriter() throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    log.writer().submit(tx -> {
      running.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    running.await();
    return release;
  }

  @Test
  void concurrentAppendsGetContiguousSequencesAndReadBackIntact() throws Exception {
    int threads = 16;
    int perThread = 1_250;
    List<CompletableFuture<TelemetryMessage>> futures = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> appenders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      appenders.add(Thread.ofPlatform().start(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        for (int i = 0; i < perThread; i++) {
          MessageProperties properties = new MessageProperties("m-" + thread + "-" + i, i % 2 == 0 ? "c" : null,
              null, "application/json", i % 3 == 0 ? "utf-8" : null, i % 4 == 0 ? Map.of() : Map.of("i", "" + i));
          byte[] payload = ("{\"thread\":" + thread + ",\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8);
          String gateway = i % 5 == 0 ? "edge-" + thread : null;
          futures.add(log.append(new TelemetryMessage(0, "dev-" + thread, gateway, Instant.EPOCH, properties,
              Arrays.copyOf(payload, 256))));
        }
      }));
    }
    start.countDown();
    for (Thread appender : appenders) {
      appender.join();
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    int total = threads * perThread;

    List<TelemetryMessage> stored = new ArrayList<>(futures.stream().map(CompletableFuture::join).toList());
    stored.sort(Comparator.comparingLong(TelemetryMessage::sequence));
    assertThat(stored).extracting(TelemetryMessage::sequence)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    assertThat(log.nextSequence()).isEqualTo(total + 1);

    List<TelemetryMessage> read = readAll();
    assertThat(content(read)).isEqualTo(content(stored));
    assertThat(read).extracting(TelemetryMessage::enqueuedAt).isSorted();
    // Group commit: thousands of appends share each fsync.
    SqliteWriter.Stats stats = log.writerStats();
    // Every append, and a checkpoint task after every CHECKPOINT_EVERY of them (skipped if the queue is full).
    assertThat(stats.tasksCommitted()).isBetween((long) total, total + total / TelemetryHead.CHECKPOINT_EVERY);
    assertThat(stats.commits()).isLessThan(total / 10);
  }

  @Test
  void theLogStampsSequenceAndANeverDecreasingEnqueueTime() {
    TelemetryMessage first = log.append(new TelemetryMessage(99, "dev-1", "edge-1", Instant.EPOCH,
        MessageProperties.NONE, new byte[] {1})).join();
    assertThat(first.sequence()).isEqualTo(1);
    assertThat(first.enqueuedAt()).isEqualTo(Millis.truncate(clock.instant()));
    assertThat(first.gatewayId()).isEqualTo("edge-1");

    clock.advance(Duration.ofSeconds(-5));
    TelemetryMessage afterClockStep = log.append(message("dev-1", 1)).join();
    assertThat(afterClockStep.sequence()).isEqualTo(2);
    assertThat(afterClockStep.enqueuedAt()).isEqualTo(first.enqueuedAt());
  }

  @Test
  void appendedMessagesSurviveAReopenAndSequencesContinue() {
    List<TelemetryMessage> before = appendAll(1_000, 64);
    reopen();
    assertThat(log.nextSequence()).isEqualTo(1_001);
    assertThat(content(readAll())).isEqualTo(content(before));
    assertThat(log.append(message("dev-1", 1)).join().sequence()).isEqualTo(1_001);
  }

  @Test
  void readsPageInSequenceOrder() {
    appendAll(25, 8);
    assertThat(log.read(0, 10)).extracting(TelemetryMessage::sequence)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 10).boxed().toList());
    assertThat(log.read(11, 10)).extracting(TelemetryMessage::sequence)
        .containsExactlyElementsOf(LongStream.rangeClosed(11, 20).boxed().toList());
    assertThat(log.read(21, 10)).extracting(TelemetryMessage::sequence).containsExactly(21L, 22L, 23L, 24L, 25L);
    assertThat(log.read(26, 10)).isEmpty();
    assertThat(log.read(1, 0)).isEmpty();
    assertThatThrownBy(() -> log.read(1, -1)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void readsAreCappedAtMaxRead() {
    appendAll(SqliteTelemetryLog.MAX_READ + 5, 1);
    assertThat(log.read(0, Integer.MAX_VALUE)).hasSize(SqliteTelemetryLog.MAX_READ);
  }

  @Test
  void firstSequenceAtFindsTheFirstMessageAtOrAfterATime() {
    assertThat(log.firstSequenceAt(clock.instant())).isEqualTo(1);
    Instant t0 = clock.instant();
    appendAll(10, 4);
    clock.advance(Duration.ofSeconds(1));
    Instant t1 = clock.instant();
    appendAll(10, 4);
    clock.advance(Duration.ofSeconds(1));
    Instant t2 = clock.instant();
    appendAll(13, 4);

    assertThat(log.firstSequenceAt(Instant.EPOCH)).isEqualTo(1);
    assertThat(log.firstSequenceAt(t0)).isEqualTo(1);
    assertThat(log.firstSequenceAt(t0.plusMillis(1))).isEqualTo(11);
    // Times count to the millisecond, as stored: sub-millisecond digits do not move past t1's messages.
    assertThat(log.firstSequenceAt(t1)).isEqualTo(11);
    assertThat(log.firstSequenceAt(t1.minusMillis(1))).isEqualTo(11);
    assertThat(log.firstSequenceAt(t2)).isEqualTo(21);
    assertThat(log.firstSequenceAt(t2.plusMillis(1))).isEqualTo(34);
    assertThat(log.firstSequenceAt(t2.plusSeconds(3600))).isEqualTo(log.nextSequence());

    log.applyRetention(t1, Long.MAX_VALUE);
    assertThat(log.firstSequenceAt(t0)).isEqualTo(11);
  }

  @Test
  void consumerOffsetsAreDurable() {
    assertThat(log.committedOffset("analytics")).isEmpty();
    log.commitOffset("analytics", 42);
    log.commitOffset("archive", 7);
    log.commitOffset("analytics", 43);
    reopen();
    assertThat(log.committedOffset("analytics")).contains(43L);
    assertThat(log.committedOffset("archive")).contains(7L);
    assertThatThrownBy(() -> log.commitOffset(" ", 1)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> log.commitOffset("analytics", -1)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void retentionByAgeRemovesOlderMessages() {
    appendAll(10, 100);
    clock.advance(Duration.ofMinutes(10));
    Instant cutoff = clock.instant();
    appendAll(5, 100);

    assertThat(log.applyRetention(cutoff.minusSeconds(1), Long.MAX_VALUE)).isEqualTo(10);
    assertThat(readAll()).extracting(TelemetryMessage::sequence).containsExactly(11L, 12L, 13L, 14L, 15L);
    assertThat(log.applyRetention(cutoff.minusSeconds(1), Long.MAX_VALUE)).isZero();
  }

  @Test
  void retentionBySizeKeepsTheNewestWithinTheLimitAcrossChunksAndRestarts() throws Exception {
    // More than one retention chunk, and past a checkpoint of the running payload total.
    int count = SqliteTelemetryLog.RETENTION_CHUNK + 1_000;
    appendAll(count, 10);
    assertThat(TelemetryHead.CHECKPOINT_EVERY).isLessThan(count);
    reopen();

    assertThat(log.applyRetention(Instant.EPOCH, 1_000)).isEqualTo(count - 100);
    assertThat(readAll()).hasSize(100).first().extracting(TelemetryMessage::sequence).isEqualTo((long) count - 99);
    assertThat(storedPayloadBytes()).isEqualTo(1_000);

    // The running total was checkpointed with the deletion: right again after a restart.
    reopen();
    assertThat(log.applyRetention(Instant.EPOCH, 1_000)).isZero();
    assertThat(log.applyRetention(Instant.EPOCH, 995)).isEqualTo(1);
    appendAll(3, 10);
    assertThat(log.applyRetention(Instant.EPOCH, 1_000)).isEqualTo(2);
    assertThat(storedPayloadBytes()).isEqualTo(1_000);
  }

  @Test
  void sequencesAreNotReusedAfterRetentionEmptiedTheLog() {
    appendAll(5, 10);
    assertThat(log.applyRetention(Instant.EPOCH, 0)).isEqualTo(5);
    assertThat(log.read(0, 10)).isEmpty();
    assertThat(log.firstSequenceAt(Instant.EPOCH)).isEqualTo(6);
    reopen();
    assertThat(log.nextSequence()).isEqualTo(6);
    assertThat(log.append(message("dev-1", 1)).join().sequence()).isEqualTo(6);
  }

  @Test
  void aFullQueueFailsTheFutureInsteadOfBlockingTheCaller() throws Exception {
    log.close();
    // A long submit timeout: append must not use it.
    log = SqliteTelemetryLog.open(file(), clock, new SqliteSettings(
        new WriterSettings("telemetry-test", 2, 100, Duration.ofMinutes(5)), 1, Duration.ofSeconds(5)));
    CountDownLatch release = stallWriter();
    CompletableFuture<TelemetryMessage> a = log.append(message("dev-1", 1));
    CompletableFuture<TelemetryMessage> b = log.append(message("dev-1", 1));
    CompletableFuture<TelemetryMessage> refused = log.append(message("dev-1", 1));

    assertThat(refused).isCompletedExceptionally();
    assertThatThrownBy(refused::join).hasCauseInstanceOf(LimitExceededException.class)
        .hasMessageContaining("write queue is full (2 writes waiting)");
    assertThat(a).isNotDone();
    release.countDown();
    assertThat(a.join().sequence()).isEqualTo(1);
    assertThat(b.join().sequence()).isEqualTo(2);
    assertThat(log.append(message("dev-1", 1)).join().sequence()).isEqualTo(3);
  }

  @Test
  void refusedAppendsFailTheirFuture() {
    TelemetryMessage tooBig = new TelemetryMessage(0, "dev-1", null, Instant.EPOCH, MessageProperties.NONE,
        new byte[TelemetryMessage.MAX_SIZE + 1]);
    assertThatThrownBy(() -> log.append(tooBig).join()).hasCauseInstanceOf(InvalidInputException.class)
        .hasMessageContaining("at most " + TelemetryMessage.MAX_SIZE);
    log.close();
    assertThatThrownBy(() -> log.append(message("dev-1", 1)).join()).hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void usesItsOwnDurableDatabaseWithItsOwnSchema() throws Exception {
    assertThat(file()).exists();
    assertThat(query("PRAGMA journal_mode")).isEqualTo("wal");
    assertThat(query("PRAGMA synchronous")).isEqualTo("2");
    assertThat(query("SELECT MAX(version) FROM schema_version"))
        .isEqualTo("1");
    assertThat(query("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'telemetry'")).isEqualTo("0");
    assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).contains("gatehouse-telemetry-writer");
  }

  private long storedPayloadBytes() {
    return Long.parseLong(query("SELECT COALESCE(SUM(length(payload)), 0) FROM telemetry"));
  }

  /** The first column of the first row, read on the log's own write connection. */
  private String query(String sql) {
    WriteTask<String> task = tx -> firstValue(tx.connection(), sql);
    return log.writer().execute(task);
  }

  private static String firstValue(Connection connection, String sql) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(sql);
        ResultSet rs = query.executeQuery()) {
      rs.next();
      return rs.getString(1);
    }
  }
}
