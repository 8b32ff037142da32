package io.gatehouse.store.sqlite;

import io.gatehouse.core.testing.MutableClock;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store opened on a fresh file in {@link #dir} before each test, on a clock the test moves, and
 * closed after it. A test may close it and open another on the same file: the last one is closed.
 */
abstract class StoreTestBase {
  @TempDir Path dir;
  final MutableClock clock;
  SqliteStore store;

  StoreTestBase() {
    this(new MutableClock());
  }

  StoreTestBase(MutableClock clock) {
    this.clock = clock;
  }

  @BeforeEach
  void openStore() {
    store = TestStores.open(dir.resolve("gatehouse.db"), clock);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }
}
