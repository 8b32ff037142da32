package io.gatehouse.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplicationPropertiesCodecTest {
  @Test
  void roundTripsNamesAndValuesInOrder() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("zulu", "last-but-first");
    properties.put("bare", null);
    properties.put("empty", "");
    properties.put("ünïcode", "✓ 日本");
    properties.put("long", "x".repeat(300));
    properties.put("", "empty name");

    Map<String, String> decoded = ApplicationPropertiesCodec.decode(ApplicationPropertiesCodec.encode(properties));

    assertThat(decoded).containsExactlyEntriesOf(properties);
    assertThat(decoded).containsEntry("bare", null).containsEntry("empty", "");
  }

  @Test
  void noPropertiesAreStoredAsNull() {
    assertThat(ApplicationPropertiesCodec.encode(Map.of())).isNull();
    assertThat(ApplicationPropertiesCodec.encode(null)).isNull();
    assertThat(ApplicationPropertiesCodec.decode(null)).isEmpty();
  }

  @Test
  void isCompact() {
    // one length byte per name and value, no per-entry framing beyond that
    assertThat(ApplicationPropertiesCodec.encode(Map.of("a", "bc"))).containsExactly(1, 'a', 3, 'b', 'c');
    assertThat(ApplicationPropertiesCodec.encode(Map.of("a", "x".repeat(200)))).hasSize(1 + 1 + 2 + 200);
  }

  @Test
  void damagedBytesAreReportedNotMisread() {
    byte[] good = ApplicationPropertiesCodec.encode(Map.of("name", "value"));
    byte[] truncated = Arrays.copyOf(good, good.length - 1);
    assertThatThrownBy(() -> ApplicationPropertiesCodec.decode(truncated))
        .isInstanceOf(StoreFailureException.class)
        .hasMessageContaining("application properties are damaged");
    byte[] endlessLength = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
    assertThatThrownBy(() -> ApplicationPropertiesCodec.decode(endlessLength))
        .isInstanceOf(StoreFailureException.class);
    byte[] nameWithoutValue = {1, 'a'};
    assertThatThrownBy(() -> ApplicationPropertiesCodec.decode(nameWithoutValue))
        .isInstanceOf(StoreFailureException.class);
  }
}
