package io.gatehouse.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.audit.AuditChain;
import io.gatehouse.core.audit.AuditEntry;
import io.gatehouse.core.audit.AuditEvent;
import io.gatehouse.core.audit.AuditEvent.Outcome;
import io.gatehouse.core.audit.AuditVerification;
import io.gatehouse.core.testing.MutableClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteAuditStoreTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock();
  private final AuditChain chain = TestStores.chain(TestStores.KEY);
  private Path file;
  private SqliteStore store;
  private SqliteAuditStore audit;

  @BeforeEach
  void open() {
    file = dir.resolve("gatehouse.db");
    store = TestStores.open(file, clock);
    audit = store.audit();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static AuditEvent event(String action) {
    return new AuditEvent(Instant.parse("2025-06-01T10:00:00.123456789Z"), "svc:backend", action, "device:dev-1",
        Outcome.SUCCESS, "", "10.0.0.1");
  }

  private AuditVerification verify() {
    AuditChain.Verifier verifier = chain.verifier();
    long next = 1;
    List<AuditEntry> page;
    while (!(page = audit.read(next, 100)).isEmpty()) {
      page.forEach(verifier::accept);
      next = page.getLast().sequence() + 1;
    }
    return verifier.result();
  }

  @Test
  void appendsReadsAndReportsTheHead() {
    assertThat(audit.head()).isEmpty();
    assertThat(audit.read(1, 10)).isEmpty();

    AuditEntry first = audit.append(event("device.create"));
    AuditEntry second = audit.append(new AuditEvent(clock.instant(), null, "device.delete", null, Outcome.DENIED,
        "missing registry.write", null));
    AuditEntry third = audit.append(event("device.update"));

    assertThat(first.sequence()).isEqualTo(1);
    assertThat(first.previousHash()).isEqualTo(AuditChain.GENESIS);
    assertThat(second.previousHash()).isEqualTo(first.hash());
    assertThat(audit.read(1, 10)).containsExactly(first, second, third);
    assertThat(audit.read(2, 1)).containsExactly(second);
    assertThat(audit.read(4, 10)).isEmpty();
    assertThat(audit.head()).contains(third);
    assertThat(verify().intact()).isTrue();
    assertThat(verify().entriesChecked()).isEqualTo(3);
  }

  @Test
  void eventTimesAreTruncatedToMillisecondsBeforeSealing() {
    AuditEntry entry = audit.append(event("device.create"));
    assertThat(entry.event().time()).isEqualTo(Instant.parse("2025-06-01T10:00:00.123Z"));
    assertThat(audit.read(1, 1)).containsExactly(entry);
    assertThat(verify().intact()).isTrue();
  }

  @Test
  void verificationPointsAtATamperedRow() throws Exception {
    for (int i = 1; i <= 5; i++) {
      audit.append(event("action-" + i));
    }
    try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
        PreparedStatement update = raw.prepareStatement("UPDATE audit_log SET actor = ? WHERE sequence = ?")) {
      update.setString(1, "someone-else");
      update.setLong(2, 3);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }

    AuditVerification result = verify();
    assertThat(result.intact()).isFalse();
    assertThat(result.firstBadSequence()).isEqualTo(3);
    assertThat(result.entriesChecked()).isEqualTo(2);
    assertThat(result.problem()).contains("entry 3 was altered");
  }

  @Test
  void verificationPointsAtADeletedRow() throws Exception {
    for (int i = 1; i <= 4; i++) {
      audit.append(event("action-" + i));
    }
    try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
        PreparedStatement delete = raw.prepareStatement("DELETE FROM audit_log WHERE sequence = ?")) {
      delete.setLong(1, 2);
      delete.executeUpdate();
    }
    AuditVerification result = verify();
    assertThat(result.intact()).isFalse();
    assertThat(result.firstBadSequence()).isEqualTo(2);
  }

  @Test
  void concurrentAppendsGetContiguousSequencesAndShareCommits() throws Exception {
    int threads = 50;
    int perThread = 40;
    long commitsBefore = store.writerStats().commits();
    CountDownLatch start = new CountDownLatch(1);
    List<AuditEntry> entries = Collections.synchronizedList(new ArrayList<>());
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      workers.add(Thread.ofPlatform().start(() -> {
        try {
          start.await();
          for (int i = 0; i < perThread; i++) {
            entries.add(audit.append(event("t" + thread + "-" + i)));
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }

    int total = threads * perThread;
    assertThat(entries).extracting(AuditEntry::sequence)
        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    AuditVerification result = verify();
    assertThat(result.intact()).isTrue();
    assertThat(result.entriesChecked()).isEqualTo(total);
    long commits = store.writerStats().commits() - commitsBefore;
    // Each thread waits for its commit, so a commit carries up to one append per thread.
    assertThat(commits).as("commits for %d appends", total).isLessThan(total / 10);
  }

  @Test
  void queuedAppendsAreSealedInOrderAndCommittedTogether() throws Exception {
    long commitsBefore = store.writerStats().commits();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    store.writer().submit(tx -> {
      running.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    });
    running.await();
    List<CompletableFuture<AuditEntry>> futures = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      futures.add(audit.appendAsync(event("queued-" + i)));
    }
    release.countDown();
    List<AuditEntry> entries = futures.stream().map(CompletableFuture::join).toList();

    assertThat(entries).extracting(AuditEntry::sequence)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 2000).boxed().toList());
    assertThat(verify().intact()).isTrue();
    // The stall's own commit, then 2000 appends in batches of at most 512.
    assertThat(store.writerStats().commits() - commitsBefore).isEqualTo(5);
  }

  @Test
  void theChainContinuesAcrossRestarts() {
    audit.append(event("before"));
    store.close();
    store = TestStores.open(file, clock);
    audit = store.audit();
    AuditEntry after = audit.append(event("after"));
    assertThat(after.sequence()).isEqualTo(2);
    assertThat(verify().intact()).isTrue();
    assertThat(after.event().time()).isEqualTo(event("x").time().truncatedTo(ChronoUnit.MILLIS));
  }
}
