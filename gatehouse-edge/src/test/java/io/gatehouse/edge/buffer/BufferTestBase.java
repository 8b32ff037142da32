package io.gatehouse.edge.buffer;

import io.gatehouse.core.testing.MutableClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Buffers on a temporary directory, on a clock the test moves; every buffer opened is closed after the test. */
abstract class BufferTestBase {
  @TempDir
  Path directory;
  final MutableClock clock = new MutableClock(TestBuffers.CREATED);
  private final List<ForwardBuffer> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(ForwardBuffer::close);
  }

  /** A buffer on {@link #directory} with {@code limits}, closed after the test. */
  ForwardBuffer open(BufferLimits limits) {
    ForwardBuffer buffer = ForwardBuffer.open(directory, limits, clock);
    opened.add(buffer);
    return buffer;
  }
}
