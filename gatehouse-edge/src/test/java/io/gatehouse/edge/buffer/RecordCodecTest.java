package io.gatehouse.edge.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.InvalidInputException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
  private static final Instant AT = Instant.parse("2025-01-02T03:04:05.678Z");
  private static final int OVERHEAD_WITHOUT_PROPERTIES = 24 + 2 + 1 + 2 + 4;
  private final RecordCodec codec = new RecordCodec();

  @Test
  void roundTripsEveryField() throws Exception {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("content-type", "application/json");
    properties.put("ünïcødé 🚀", "välüe ✓");
    properties.put("empty", "");
    BufferedMessage message = new BufferedMessage("gerät-7", properties, new byte[] {0, -1, 127, -128}, AT);

    BufferedEntry decoded = codec.decode(frame(42, message), 42);

    assertThat(decoded.sequence()).isEqualTo(42);
    assertThat(decoded.message()).isEqualTo(message);
    assertThat(decoded.message().properties().keySet()).containsExactly("content-type", "ünïcødé 🚀", "empty");
  }

  @Test
  void acceptsARecordOfExactlyTheMaximumSizeAndRefusesOneByteMore() {
    int largest = RecordCodec.MAX_RECORD_BYTES - OVERHEAD_WITHOUT_PROPERTIES;

    assertThat(codec.encode(new BufferedMessage("d", Map.of(), new byte[largest], AT)).frameLength())
        .isEqualTo(RecordCodec.MAX_RECORD_BYTES);
    assertThatThrownBy(() -> codec.encode(new BufferedMessage("d", Map.of(), new byte[largest + 1], AT)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("device d")
        .hasMessageContaining("more than 1048576 bytes")
        .hasMessageContaining("split it");
  }

  @Test
  void countsPropertiesTowardsTheLimit() {
    Map<String, String> properties = Map.of("big", "x".repeat(RecordCodec.MAX_RECORD_BYTES));

    assertThatThrownBy(() -> codec.encode(new BufferedMessage("d", properties, new byte[0], AT)))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("more than 1048576 bytes");
  }

  @Test
  void refusesTextThatUtf8CannotCarry() {
    BufferedMessage message = new BufferedMessage("d", Map.of("k", "bad \uD800 text"), new byte[0], AT);

    assertThatThrownBy(() -> codec.encode(message))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("value of property 'k'")
        .hasMessageContaining("unpaired UTF-16 surrogate at index 4");
  }

  @Test
  void detectsAnyFlippedByte() throws Exception {
    BufferedMessage message = new BufferedMessage("dev", Map.of("k", "v"), new byte[] {1, 2, 3}, AT);
    int length = frame(7, message).remaining();

    for (int i = 0; i < length; i++) {
      ByteBuffer damaged = frame(7, message);
      damaged.put(i, (byte) (damaged.get(i) ^ 0x10));
      assertThatThrownBy(() -> codec.decode(damaged, 7)).as("byte %d flipped", i)
          .isInstanceOf(CorruptRecordException.class);
    }
  }

  @Test
  void refusesARecordCarryingAnotherSequence() {
    BufferedMessage message = new BufferedMessage("dev", Map.of(), new byte[0], AT);

    assertThatThrownBy(() -> codec.decode(frame(7, message), 8))
        .isInstanceOf(CorruptRecordException.class).hasMessageContaining("sequence 7, expected 8");
  }

  private ByteBuffer frame(long sequence, BufferedMessage message) {
    EncodedMessage encoded = codec.encode(message);
    ByteBuffer header = codec.frameHeader(sequence, encoded);
    return ByteBuffer.allocate(encoded.frameLength()).put(header).put(encoded.body()).flip();
  }
}
