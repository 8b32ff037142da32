package io.gatehouse.edge.pipeline;

import static io.gatehouse.edge.pipeline.Readings.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadingTest {

  private static Reading parse(String json) {
    return Reading.fromJson("leaf-1", T0, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void parsesNumbersAsDoublesBooleansAndStringsInOrder() {
    Reading reading = parse("{\"temperature\":21,\"humidity\":40.5,\"door\":true,\"mode\":\"eco\"}");

    assertThat(reading.deviceId()).isEqualTo("leaf-1");
    assertThat(reading.time()).isEqualTo(T0);
    assertThat(reading.fields()).containsExactly(
        Map.entry("temperature", 21.0), Map.entry("humidity", 40.5), Map.entry("door", true), Map.entry("mode", "eco"));
  }

  @Test
  void rendersBackToTheSameJson() {
    String json = "{\"temperature\":21.5,\"count\":3,\"door\":false,\"mode\":\"eco\"}";

    assertThat(new String(parse(json).toJson(), StandardCharsets.UTF_8)).isEqualTo(json);
  }

  @Test
  void refusesNestedObjectsAndArraysNamingTheField() {
    assertThatThrownBy(() -> parse("{\"ok\":1,\"position\":{\"x\":1}}"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'position'").hasMessageContaining("nested object");
    assertThatThrownBy(() -> parse("{\"samples\":[1,2]}"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'samples'").hasMessageContaining("nested array");
  }

  @Test
  void refusesNullValuesDuplicatesAndNonObjects() {
    assertThatThrownBy(() -> parse("{\"temperature\":null}")).hasMessageContaining("'temperature' is null");
    assertThatThrownBy(() -> parse("{\"a\":1,\"a\":2}")).hasMessageContaining("'a' appears twice");
    assertThatThrownBy(() -> parse("[1,2]")).hasMessageContaining("one JSON object");
    assertThatThrownBy(() -> parse("{\"a\":1} {}")).hasMessageContaining("content after");
    assertThatThrownBy(() -> parse("{\"a\":")).isInstanceOf(InvalidInputException.class).hasMessageContaining("not valid JSON");
  }

  @Test
  void boundsFieldCountNameLengthStringLengthAndPayloadSize() {
    StringBuilder many = new StringBuilder("{");
    for (int i = 0; i <= Reading.MAX_FIELDS; i++) {
      many.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":1");
    }
    assertThatThrownBy(() -> parse(many + "}")).hasMessageContaining("more than " + Reading.MAX_FIELDS + " fields");

    String longName = "n".repeat(Reading.MAX_FIELD_NAME_LENGTH + 1);
    assertThatThrownBy(() -> parse("{\"" + longName + "\":1}")).hasMessageContaining("at most " + Reading.MAX_FIELD_NAME_LENGTH);

    String longText = "x".repeat(Reading.MAX_STRING_LENGTH + 1);
    assertThatThrownBy(() -> parse("{\"note\":\"" + longText + "\"}")).hasMessageContaining("'note'");

    byte[] huge = new byte[Reading.MAX_PAYLOAD_BYTES + 1];
    assertThatThrownBy(() -> Reading.fromJson("leaf-1", T0, huge)).hasMessageContaining("at most " + Reading.MAX_PAYLOAD_BYTES);
  }

  @Test
  void reservesTheNamesTheUplinkAdds() {
    assertThatThrownBy(() -> parse("{\"ts\":1}")).hasMessageContaining("'ts' is reserved");
    assertThatThrownBy(() -> parse("{\"device\":\"x\"}")).hasMessageContaining("'device' is reserved");
  }

  @Test
  void refusesNonFiniteNumbersAndInvalidDeviceIds() {
    assertThatThrownBy(() -> parse("{\"big\":1e400}")).hasMessageContaining("finite");
    assertThatThrownBy(() -> Reading.fromJson("bad id", T0, "{}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("device id");
  }

  @Test
  void storesOtherNumbersAsDoublesAndIsImmutable() {
    Map<String, Object> fields = new HashMap<>(Map.of("count", 3, "ratio", 0.5f));
    Reading reading = new Reading("leaf-1", T0, fields);
    fields.put("later", 1.0);

    assertThat(reading.fields()).containsOnly(Map.entry("count", 3.0), Map.entry("ratio", 0.5));
    assertThatThrownBy(() -> reading.fields().put("x", 1.0)).isInstanceOf(UnsupportedOperationException.class);
  }
}
