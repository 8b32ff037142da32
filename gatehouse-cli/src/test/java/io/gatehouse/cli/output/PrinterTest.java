package io.gatehouse.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrinterTest {
  private final ObjectMapper json = new ObjectMapper();
  private final StringWriter out = new StringWriter();

  private JsonNode read(String text) throws Exception {
    return json.readTree(text);
  }

  @Test
  void jsonIsPrettyAndKeepsTheServersFieldsAndOrder() throws Exception {
    new Printer(new PrintWriter(out), OutputFormat.json)
        .printObject(read("{\"deviceId\":\"d1\",\"tags\":{\"b\":\"2\",\"a\":\"1\"},\"list\":[1,2],\"n\":null}"));

    assertThat(out.toString()).isEqualTo("""
        {
          "deviceId": "d1",
          "tags": {
            "b": "2",
            "a": "1"
          },
          "list": [
            1,
            2
          ],
          "n": null
        }
        """.replace("\n", System.lineSeparator()));
  }

  @Test
  void anObjectIsAlignedKeyValueLinesWithoutEmptyFields() throws Exception {
    new Printer(new PrintWriter(out), OutputFormat.table).printObject(read(
        "{\"deviceId\":\"d1\",\"kind\":\"device\",\"statusReason\":null,\"authentication\":{\"type\":\"sas\"},"
            + "\"tags\":{\"site\":\"plant-7\",\"line\":\"3\"},\"parentId\":\"\",\"primaryKey\":\"k==\"}"));

    assertThat(out.toString().lines()).containsExactly(
        "deviceId:       d1",
        "kind:           device",
        "authentication: type=sas",
        "tags:           site=plant-7, line=3",
        "primaryKey:     k==");
  }

  @Test
  void aListIsAlignedColumns() throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    read("[{\"deviceId\":\"d1\",\"status\":\"enabled\",\"tags\":{}},"
        + "{\"deviceId\":\"device-two\",\"status\":\"quarantined\",\"tags\":{\"site\":\"a\"}}]").forEach(rows::add);

    new Printer(new PrintWriter(out), OutputFormat.table).printTable(
        List.of(Column.field("ID", "deviceId"), Column.field("STATUS", "status"), Column.field("TAGS", "tags")), rows);

    assertThat(out.toString().lines()).containsExactly(
        "ID          STATUS       TAGS",
        "d1          enabled",
        "device-two  quarantined  site=a");
  }

  @Test
  void valuesRenderCompactly() throws Exception {
    assertThat(Values.text(null)).isEmpty();
    assertThat(Values.text(read("null"))).isEmpty();
    assertThat(Values.text(read("17"))).isEqualTo("17");
    assertThat(Values.text(read("true"))).isEqualTo("true");
    assertThat(Values.text(read("[\"a\",\"b\"]"))).isEqualTo("a, b");
    assertThat(Values.text(read("{\"type\":\"x\",\"p\":null}"))).isEqualTo("type=x");
  }
}
