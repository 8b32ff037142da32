package io.gatehouse.edge.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CursorFileTest {
  @TempDir
  Path directory;

  @Test
  void startsAtZeroWithoutAFile() throws Exception {
    assertThat(new CursorFile(directory).read()).isZero();
  }

  @Test
  void persistsThePositionAndLeavesNoTemporaryFile() throws Exception {
    new CursorFile(directory).write(41);
    CursorFile cursor = new CursorFile(directory);

    assertThat(cursor.read()).isEqualTo(41);
    cursor.write(42);
    assertThat(new CursorFile(directory).read()).isEqualTo(42);
    try (var files = Files.list(directory)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(CursorFile.FILE_NAME);
    }
  }

  @Test
  void neverGoesBack() throws Exception {
    CursorFile cursor = new CursorFile(directory);
    cursor.write(10);
    cursor.write(5);

    assertThat(new CursorFile(directory).read()).isEqualTo(10);
  }

  @Test
  void readsADamagedFileAsZeroAndRemovesALeftoverTemporaryFile() throws Exception {
    new CursorFile(directory).write(10);
    Path file = directory.resolve(CursorFile.FILE_NAME);
    byte[] bytes = Files.readAllBytes(file);
    bytes[9] ^= 1;
    Files.write(file, bytes);
    Files.write(directory.resolve("cursor.tmp"), new byte[3]);

    assertThat(new CursorFile(directory).read()).isZero();
    assertThat(directory.resolve("cursor.tmp")).doesNotExist();
  }
}
