package io.gatehouse.store.sqlite;

import static io.gatehouse.store.sqlite.TestStores.device;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gatehouse.core.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalCheckpointerTest {
  @TempDir Path dir;

  private static SqliteSettings everyFewMillis() {
    return new SqliteSettings(WriterSettings.defaults(), 2, Duration.ofSeconds(5),
        SqliteSettings.DEFAULT_STATEMENT_CACHE_SIZE, Duration.ofMillis(20));
  }

  @Test
  void theWalReachesTheDatabaseFileWhileTheStoreIsOpenWithoutTheWriterCheckpointing() throws Exception {
    Path file = dir.resolve("gatehouse.db");
    SqliteStore store = SqliteStore.open(file, TestStores.box(TestStores.KEY), TestStores.chain(TestStores.KEY),
        new MutableClock(), everyFewMillis());
    try {
      // The writer's own threshold is far above what this writes: only the background thread copies.
      int writerThreshold = store.writer().execute(tx -> {
        try (PreparedStatement pragma = tx.connection().prepareStatement("PRAGMA wal_autocheckpoint");
            ResultSet rs = pragma.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      });
      assertThat(writerThreshold).isEqualTo(WalCheckpointer.WRITER_CHECKPOINT_PAGES);
      long before = Files.size(file);
      for (int i = 0; i < 200; i++) {
        store.devices().create(device("dev-" + i));
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        WalCheckpointer.Stats stats = store.checkpointerStats();
        return stats.walFrames() > 0 && stats.framesCopied() == stats.walFrames();
      });
      assertThat(Files.size(file)).isGreaterThan(before);
      assertThat(store.checkpointerStats().failures()).isZero();
    } finally {
      store.close();
    }
    SqliteStore reopened = TestStores.open(file, new MutableClock());
    try {
      assertThat(reopened.devices().find("dev-199")).isPresent();
    } finally {
      reopened.close();
    }
  }
}
