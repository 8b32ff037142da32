package io.gatehouse.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.LimitExceededException;
import io.gatehouse.store.Durability;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteWriterTest {
  @TempDir Path dir;
  private SqliteConnections connections;
  private SqliteWriter writer;

  @BeforeEach
  void setUp() throws SQLException {
    connections = new SqliteConnections(dir.resolve("writer.db"), Duration.ofSeconds(5));
    writer = start(WriterSettings.defaults());
  }

  @AfterEach
  void tearDown() {
    writer.close();
  }

  private SqliteWriter start(WriterSettings settings) throws SQLException {
    Connection connection = connections.openWriter();
    try (PreparedStatement create = connection.prepareStatement(
        "CREATE TABLE IF NOT EXISTS t (id BIGINT NOT NULL PRIMARY KEY, v TEXT)")) {
      create.execute();
    }
    return SqliteWriter.start(connection, settings);
  }

  /** Occupies the writer thread until the returned latch is released. */
  private static CountDownLatch stall(SqliteWriter writer) throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    writer.submit(tx -> {
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

  private static WriteTask<Long> insert(long id) {
    return tx -> {
      try (PreparedStatement insert = tx.connection().prepareStatement("INSERT INTO t (id, v) VALUES (?, ?)")) {
        insert.setLong(1, id);
        insert.setString(2, "v" + id);
        insert.executeUpdate();
      }
      return id;
    };
  }

  private List<Long> ids() throws SQLException {
    try (Connection connection = connections.openReader();
        PreparedStatement query = connection.prepareStatement("SELECT id FROM t ORDER BY id");
        ResultSet rs = query.executeQuery()) {
      List<Long> ids = new ArrayList<>();
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
      return ids;
    }
  }

  @Test
  void runsOnOneNamedPlatformThread() {
    Thread thread = writer.execute(tx -> Thread.currentThread());
    assertThat(thread.getName()).isEqualTo("gatehouse-sqlite-writer");
    assertThat(thread.isVirtual()).isFalse();
    writer.close();
    assertThat(thread.isAlive()).isFalse();
  }

  @Test
  void commitsQueuedTasksTogether() throws Exception {
    long commitsBefore = writer.stats().commits();
    CountDownLatch release = stall(writer);
    int threads = 8;
    int perThread = 250;
    List<CompletableFuture<Long>> futures = Collections.synchronizedList(new ArrayList<>());
    List<Thread> submitters = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int base = t * perThread;
      submitters.add(Thread.ofVirtual().start(() -> {
        for (int i = 0; i < perThread; i++) {
          futures.add(writer.submit(insert(base + i)));
        }
      }));
    }
    for (Thread submitter : submitters) {
      submitter.join();
    }
    assertThat(writer.stats().queued()).isEqualTo(threads * perThread);
    release.countDown();
    futures.forEach(CompletableFuture::join);

    assertThat(ids()).hasSize(threads * perThread);
    // 2000 tasks in batches of at most 512: four commits, plus the stall's own.
    long commits = writer.stats().commits() - commitsBefore;
    assertThat(commits).isEqualTo(5);
    assertThat(writer.stats().largestBatch()).isEqualTo(512);
  }

  /** The connection's synchronous setting as a task sees it: 2 is FULL (fsync per commit), 1 is NORMAL. */
  private static WriteTask<Integer> synchronousSetting() {
    return tx -> {
      try (PreparedStatement pragma = tx.connection().prepareStatement("PRAGMA synchronous");
          ResultSet rs = pragma.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    };
  }

  @Test
  void deferredTasksCommitWithoutAnFsyncAndFirst() throws Exception {
    long deferredBefore = writer.stats().deferredCommits();
    assertThat(writer.execute(synchronousSetting(), Durability.DEFERRED)).isEqualTo(1);
    assertThat(writer.execute(synchronousSetting())).isEqualTo(2);
    assertThat(writer.execute(synchronousSetting(), Durability.DEFERRED)).isEqualTo(1);
    assertThat(writer.stats().deferredCommits()).isEqualTo(deferredBefore + 2);

    // Queued together, the deferred task runs first, in a transaction of its own that does not wait
    // for the fsync; the immediate one, queued before it, still gets FULL.
    CountDownLatch release = stall(writer);
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Integer> immediate = writer.submit(synchronousSetting());
    CompletableFuture<Integer> deferred = writer.submit(synchronousSetting(), Durability.DEFERRED);
    immediate.thenRun(() -> order.add("immediate"));
    deferred.thenRun(() -> order.add("deferred"));
    release.countDown();
    assertThat(immediate.get()).isEqualTo(2);
    assertThat(deferred.get()).isEqualTo(1);
    assertThat(order).containsExactly("deferred", "immediate");
  }

  @Test
  void aDeferredCommitIsVisibleAtOnceAndSurvivesAReopen() throws Exception {
    writer.execute(insert(1), Durability.DEFERRED);
    assertThat(ids()).containsExactly(1L);
    writer.execute(insert(2), Durability.DEFERRED);
    writer.close();
    writer = start(WriterSettings.defaults());
    assertThat(ids()).containsExactly(1L, 2L);
    // And an immediate commit after deferred ones is FULL again.
    assertThat(writer.execute(synchronousSetting())).isEqualTo(2);
  }

  @Test
  void aFailingFirstTaskRunsWithoutASavepointYetRollsBackAloneAndTheRestCommit() throws Exception {
    CountDownLatch release = stall(writer);
    List<String> hooks = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Long> failing = writer.submit(tx -> {
      insert(1).run(tx);
      tx.afterRollback(() -> hooks.add("rollback 1"));
      throw new IllegalStateException("the first task of the batch refuses");
    });
    CompletableFuture<Long> next = writer.submit(insert(2));
    CompletableFuture<Long> last = writer.submit(insert(3));
    release.countDown();

    assertThatThrownBy(failing::join).hasCauseInstanceOf(IllegalStateException.class);
    assertThat(next.join()).isEqualTo(2);
    assertThat(last.join()).isEqualTo(3);
    assertThat(hooks).containsExactly("rollback 1");
    assertThat(ids()).containsExactly(2L, 3L);
  }

  @Test
  void aFailingTaskRollsBackOnlyItself() throws Exception {
    long commitsBefore = writer.stats().commits();
    CountDownLatch release = stall(writer);
    List<String> hooks = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Long> first = writer.submit(insert(1));
    CompletableFuture<Long> failing = writer.submit(tx -> {
      insert(2).run(tx);
      tx.afterCommit(() -> hooks.add("commit 2"));
      tx.afterRollback(() -> hooks.add("rollback 2"));
      throw new IllegalArgumentException("task 2 refuses");
    });
    CompletableFuture<Long> duplicate = writer.submit(insert(1));
    CompletableFuture<Long> last = writer.submit(tx -> {
      tx.afterCommit(() -> hooks.add("commit 3"));
      return insert(3).run(tx);
    });
    release.countDown();

    assertThat(first.join()).isEqualTo(1);
    assertThat(last.join()).isEqualTo(3);
    assertThatThrownBy(failing::join).hasCauseInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("task 2 refuses");
    assertThatThrownBy(duplicate::join).isInstanceOf(CompletionException.class).hasCauseInstanceOf(SQLException.class);
    assertThat(ids()).containsExactly(1L, 3L);
    assertThat(hooks).containsExactly("rollback 2", "commit 3");
    // One commit for the stall, which ran alone, and one for all four tasks.
    assertThat(writer.stats().commits() - commitsBefore).isEqualTo(2);
    assertThat(writer.stats().largestBatch()).isEqualTo(4);
  }

  @Test
  void aFailingSingleStatementTaskTakesItsTransactionDownAndTheNextOneCommits() throws Exception {
    CountDownLatch release = stall(writer);
    List<String> hooks = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Long> neighbour = writer.trySubmitStatement(tx -> {
      tx.afterRollback(() -> hooks.add("rollback 1"));
      return insert(1).run(tx);
    });
    CompletableFuture<Long> duplicate = writer.trySubmitStatement(insert(1));
    CompletableFuture<Long> after = writer.trySubmitStatement(insert(2));
    release.countDown();

    // Without a savepoint the writer cannot tell a failed statement from a failed transaction, so
    // the neighbour is told it failed (and would resend) rather than be committed or lost silently.
    assertThatThrownBy(duplicate::join).hasCauseInstanceOf(SQLException.class);
    assertThatThrownBy(neighbour::join).hasCauseInstanceOf(StoreFailureException.class);
    assertThat(after.join()).isEqualTo(2);
    assertThat(ids()).containsExactly(2L);
    assertThat(hooks).containsExactly("rollback 1");
  }

  @Test
  void singleStatementTasksCommitLikeAnyOther() throws Exception {
    CountDownLatch release = stall(writer);
    List<CompletableFuture<Long>> futures = new ArrayList<>();
    for (long id = 1; id <= 100; id++) {
      futures.add(id % 2 == 0 ? writer.trySubmitStatement(insert(id)) : writer.submit(insert(id)));
    }
    release.countDown();
    futures.forEach(CompletableFuture::join);
    assertThat(ids()).hasSize(100);
  }

  @Test
  void nothingIsVisibleToReadersBeforeTheBatchCommits() throws Exception {
    CountDownLatch release = stall(writer);
    // JDBC batches too: the driver must not commit the writer's transaction behind its back.
    CompletableFuture<Void> batchInsert = writer.submit(tx -> {
      try (PreparedStatement insert = tx.connection().prepareStatement("INSERT INTO t (id, v) VALUES (?, 'b')")) {
        for (long id : new long[] {10, 11}) {
          insert.setLong(1, id);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      return null;
    });
    CompletableFuture<List<Long>> seenMidBatch = writer.submit(tx -> ids());
    CompletableFuture<Void> failingBatch = writer.submit(tx -> {
      try (PreparedStatement insert = tx.connection().prepareStatement("INSERT INTO t (id, v) VALUES (?, 'x')")) {
        for (long id : new long[] {20, 21}) {
          insert.setLong(1, id);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      throw new IllegalStateException("undo 20 and 21");
    });
    release.countDown();
    batchInsert.join();
    assertThat(seenMidBatch.join()).isEmpty();
    assertThatThrownBy(failingBatch::join).hasCauseInstanceOf(IllegalStateException.class);
    assertThat(ids()).containsExactly(10L, 11L);
  }

  @Test
  void executeRethrowsTheTaskExceptionAndWrapsSqlErrors() {
    writer.execute(insert(5));
    assertThatThrownBy(() -> writer.execute(tx -> {
      throw new IllegalStateException("domain failure");
    })).isInstanceOf(IllegalStateException.class).hasMessage("domain failure");
    assertThatThrownBy(() -> writer.execute(insert(5)))
        .isInstanceOf(StoreFailureException.class)
        .hasMessageContaining("database write failed")
        .hasCauseInstanceOf(SQLException.class);
  }

  @Test
  void aFullQueueRejectsWithAClearError() throws Exception {
    writer.close();
    writer = start(new WriterSettings("gatehouse-sqlite-writer", 2, 16, Duration.ofMillis(20)));
    CountDownLatch release = stall(writer);
    CompletableFuture<Long> a = writer.submit(insert(1));
    CompletableFuture<Long> b = writer.submit(insert(2));
    assertThatThrownBy(() -> writer.submit(insert(3)))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("write queue is full (2 writes waiting)");
    release.countDown();
    CompletableFuture.allOf(a, b).join();
    assertThat(ids()).containsExactly(1L, 2L);
  }

  @Test
  void trySubmitFailsTheFutureInsteadOfWaitingForRoom() throws Exception {
    writer.close();
    // A long submit timeout: trySubmit must not use it.
    writer = start(new WriterSettings("gatehouse-sqlite-writer", 1, 16, Duration.ofMinutes(5)));
    CountDownLatch release = stall(writer);
    CompletableFuture<Long> queued = writer.trySubmit(insert(1));
    CompletableFuture<Long> refused = writer.trySubmit(insert(2));

    assertThat(refused).isCompletedExceptionally();
    assertThatThrownBy(refused::join).hasCauseInstanceOf(LimitExceededException.class)
        .hasMessageContaining("write queue is full (1 writes waiting)");
    release.countDown();
    assertThat(queued.join()).isEqualTo(1);
    writer.close();
    assertThatThrownBy(() -> writer.trySubmit(insert(3)).join()).hasCauseInstanceOf(IllegalStateException.class);
    assertThat(ids()).containsExactly(1L);
  }

  @Test
  void closeCommitsWhatIsQueuedAndIsIdempotent() throws Exception {
    CountDownLatch release = stall(writer);
    List<CompletableFuture<Long>> futures = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      futures.add(writer.submit(insert(i)));
    }
    AtomicReference<Throwable> closeFailure = new AtomicReference<>();
    Thread closer = Thread.ofVirtual().start(() -> {
      try {
        writer.close();
      } catch (Throwable t) {
        closeFailure.set(t);
      }
    });
    release.countDown();
    closer.join();
    assertThat(closeFailure.get()).isNull();
    assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    assertThat(ids()).hasSize(100);

    writer.close();
    assertThatThrownBy(() -> writer.submit(insert(1000)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aTaskCannotWaitForTheWriter() {
    assertThatThrownBy(() -> writer.execute(tx -> writer.execute(insert(1))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("would wait for itself");
  }
}
