package io.gatehouse.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes results to standard output in the chosen format; messages for people go to stderr. */
public final class Printer {
  private final PrintWriter out;
  private final OutputFormat format;
  private final ObjectWriter writer;

  public Printer(PrintWriter out, OutputFormat format) {
    this.out = out;
    this.format = format;
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter pretty = new DefaultPrettyPrinter()
        .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
        .withObjectIndenter(indenter);
    pretty.indentArraysWith(indenter);
    this.writer = new ObjectMapper().writer(pretty);
  }

  public boolean json() {
    return format == OutputFormat.json;
  }

  /** Pretty JSON, whatever the format. */
  public void printJson(JsonNode node) {
    try {
      out.println(writer.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  /** JSON as is, or one aligned {@code key: value} line per non-empty top-level field. */
  public void printObject(JsonNode node) {
    if (json()) {
      printJson(node);
      return;
    }
    List<String[]> lines = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String value = Values.text(field.getValue());
      if (!value.isEmpty()) {
        lines.add(new String[] {field.getKey(), value});
      }
    }
    printKeyValues(lines);
  }

  /**
   * Aligned {@code key: value} lines; a value with line breaks continues under its first line.
   * Table format only: callers print JSON themselves.
   */
  public void printKeyValues(List<String[]> lines) {
    int width = lines.stream().mapToInt(l -> l[0].length()).max().orElse(0) + 2;
    for (String[] line : lines) {
      String key = line[0] + ":";
      String[] valueLines = line[1].split("\n", -1);
      out.println(key + " ".repeat(width - key.length()) + valueLines[0]);
      for (int i = 1; i < valueLines.length; i++) {
        out.println(" ".repeat(width) + valueLines[i]);
      }
    }
  }

  /** Aligned columns with a header row. */
  public void printTable(List<Column> columns, List<JsonNode> rows) {
    TextTable.render(columns, rows).forEach(out::println);
  }

  /** A bare line, such as a token or a connection string the user asked for. */
  public void printLine(String text) {
    out.println(text);
  }

  public void flush() {
    out.flush();
  }
}
