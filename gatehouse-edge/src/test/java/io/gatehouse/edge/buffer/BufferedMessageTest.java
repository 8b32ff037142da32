package io.gatehouse.edge.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BufferedMessageTest {
  private static final Instant AT = Instant.parse("2025-01-02T03:04:05.678Z");

  @Test
  void copiesPayloadAndPropertiesInAndOut() {
    byte[] payload = {1, 2, 3};
    Map<String, String> properties = new HashMap<>(Map.of("a", "1"));
    BufferedMessage message = new BufferedMessage("dev", properties, payload, AT);

    payload[0] = 9;
    properties.put("b", "2");
    message.payload()[1] = 9;

    assertThat(message.payload()).containsExactly(1, 2, 3);
    assertThat(message.properties()).containsExactly(Map.entry("a", "1"));
    assertThatThrownBy(() -> message.properties().put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(message.payloadBuffer().isReadOnly()).isTrue();
  }

  @Test
  void keepsPropertyOrder() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("z", "1");
    properties.put("a", "2");
    properties.put("m", "3");

    assertThat(new BufferedMessage("dev", properties, new byte[0], AT).properties().keySet())
        .containsExactly("z", "a", "m");
  }

  @Test
  void equalityComparesPayloadContent() {
    BufferedMessage one = new BufferedMessage("dev", Map.of("k", "v"), new byte[] {1, 2}, AT);
    BufferedMessage two = new BufferedMessage("dev", Map.of("k", "v"), new byte[] {1, 2}, AT);

    assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
    assertThat(one).isNotEqualTo(new BufferedMessage("dev", Map.of("k", "v"), new byte[] {1, 3}, AT));
  }

  @Test
  void keepsCreatedAtToTheMillisecondTheBufferStores() {
    BufferedMessage message = new BufferedMessage("dev", Map.of(), new byte[0], AT.plusNanos(999_999));

    assertThat(message.createdAt()).isEqualTo(AT);
  }

  @Test
  void toStringLeavesThePayloadOut() {
    BufferedMessage message = new BufferedMessage("dev", Map.of("k", "v"), utf8("secret"), AT);

    assertThat(message.toString()).doesNotContain("secret").contains("payloadBytes=6");
  }

  @Test
  void refusesMissingFieldsWithMessagesThatSayWhatToDo() {
    assertThatThrownBy(() -> new BufferedMessage(null, Map.of(), new byte[0], AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deviceId is null");
    assertThatThrownBy(() -> new BufferedMessage(" ", Map.of(), new byte[0], AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deviceId is blank");
    assertThatThrownBy(() -> new BufferedMessage("dev", null, new byte[0], AT))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("Map.of()");
    assertThatThrownBy(() -> new BufferedMessage("dev", Map.of(), null, AT))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("payload is null");
    assertThatThrownBy(() -> new BufferedMessage("dev", Map.of(), new byte[0], null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("createdAt is null");
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("k", null);
    assertThatThrownBy(() -> new BufferedMessage("dev", nullValue, new byte[0], AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("property 'k' has a null value");
    assertThatThrownBy(() -> new BufferedMessage("dev", Map.of(), new byte[0], Instant.MAX))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the range");
  }

  private static byte[] utf8(String text) {
    return TestBuffers.utf8(text);
  }
}
