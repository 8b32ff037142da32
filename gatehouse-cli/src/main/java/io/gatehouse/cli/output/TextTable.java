package io.gatehouse.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Left-aligned columns separated by two spaces, with an upper-case header row. */
public final class TextTable {
  private TextTable() {}

  public static List<String> render(List<Column> columns, List<JsonNode> rows) {
    List<String[]> cells = new ArrayList<>();
    cells.add(columns.stream().map(Column::header).toArray(String[]::new));
    for (JsonNode row : rows) {
      cells.add(columns.stream().map(c -> oneLine(c.cell().apply(row))).toArray(String[]::new));
    }
    int[] widths = new int[columns.size()];
    for (String[] line : cells) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    List<String> lines = new ArrayList<>(cells.size());
    for (String[] line : cells) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < line.length; i++) {
        if (i > 0) {
          text.append("  ");
        }
        text.append(i == line.length - 1 ? line[i] : pad(line[i], widths[i]));
      }
      lines.add(text.toString().stripTrailing());
    }
    return lines;
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replace('\n', ' ').replace('\r', ' ');
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(width - text.length());
  }
}
