package io.gatehouse.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The figures of a run: printed as one table per scenario, optionally written as JSON. */
public final class Report {
  /** A target from the issue, and whether the figure meets it. */
  public record Goal(String text, boolean met) {}

  /** One figure; {@code value} is null when {@code text} says why there is none. */
  public record Row(String scenario, String target, String figure, Double value, String unit, String text, Goal goal) {}

  private final Machine machine;
  private final Map<String, Object> settings;
  private final Map<String, String> targets = new LinkedHashMap<>();
  private final Map<String, String> titles = new LinkedHashMap<>();
  private final Map<String, List<String>> notes = new LinkedHashMap<>();
  private final List<Row> rows = new ArrayList<>();
  private final Instant started = Instant.now();

  public Report(Machine machine, Map<String, Object> settings) {
    this.machine = machine;
    this.settings = settings;
  }

  public synchronized void target(String name, String description) {
    targets.put(name, description);
  }

  public synchronized void title(String scenario, String title) {
    titles.put(scenario, title);
  }

  public synchronized void add(String scenario, String target, String figure, double value, String unit) {
    rows.add(new Row(scenario, target, figure, value, unit, null, null));
  }

  public synchronized void add(String scenario, String target, String figure, double value, String unit, Goal goal) {
    rows.add(new Row(scenario, target, figure, value, unit, null, goal));
  }

  public synchronized void text(String scenario, String target, String figure, String text) {
    rows.add(new Row(scenario, target, figure, null, "", text, null));
  }

  public synchronized void note(String scenario, String note) {
    List<String> list = notes.computeIfAbsent(scenario, k -> new ArrayList<>());
    if (!list.contains(note)) {
      list.add(note);
    }
  }

  public synchronized List<Row> rows() {
    return List.copyOf(rows);
  }

  public synchronized void printHeader(PrintStream out) {
    out.println("gatehouse-bench " + started);
    out.println("machine: " + machine.oneLine());
    out.println("generator: " + machine.generator());
    out.println(String.format(Locale.ROOT, "load average at start: %.2f (other processes compete with the servers "
        + "and the generator; see \"other processes' CPU\" under each table)", io.gatehouse.bench.target.ProcStats.loadAverage()));
    for (Map.Entry<String, String> t : targets.entrySet()) {
      out.println("target " + t.getKey() + ": " + t.getValue());
    }
    out.println();
  }

  public synchronized void printScenario(PrintStream out, String scenario) {
    out.println("== " + titles.getOrDefault(scenario, scenario));
    List<String[]> table = new ArrayList<>();
    table.add(new String[] {"target", "figure", "value", "unit", "goal"});
    boolean anyGoal = false;
    List<String> texts = new ArrayList<>();
    for (Row row : rows) {
      if (!row.scenario().equals(scenario)) {
        continue;
      }
      if (row.value() == null) {
        texts.add(row.target() + ": " + row.figure() + ": " + row.text());
        continue;
      }
      String goal = row.goal() == null ? "" : row.goal().text() + (row.goal().met() ? "  met" : "  MISSED");
      anyGoal |= row.goal() != null;
      table.add(new String[] {row.target(), row.figure(), row.value() == null ? row.text() : format(row.value()),
          row.unit(), goal});
    }
    int columns = anyGoal ? 5 : 4;
    int[] width = new int[columns];
    for (String[] r : table) {
      for (int c = 0; c < columns; c++) {
        width[c] = Math.max(width[c], r[c].length());
      }
    }
    for (int i = 0; i < (table.size() > 1 ? table.size() : 0); i++) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        String cell = table.get(i)[c];
        // numbers right-aligned, the rest left-aligned
        line.append(c == 2 ? pad(cell, width[c], true) : pad(cell, width[c], false)).append(c < columns - 1 ? "  " : "");
      }
      out.println(line.toString().stripTrailing());
      if (i == 0) {
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < columns; c++) {
          rule.append("-".repeat(width[c])).append(c < columns - 1 ? "  " : "");
        }
        out.println(rule);
      }
    }
    for (String text : texts) {
      out.println("  " + text);
    }
    for (String note : notes.getOrDefault(scenario, List.of())) {
      out.println("  note: " + note);
    }
    out.println();
    out.flush();
  }

  private static String pad(String s, int width, boolean right) {
    if (s.length() >= width) {
      return s;
    }
    return right ? " ".repeat(width - s.length()) + s : s + " ".repeat(width - s.length());
  }

  static String format(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    if (Math.abs(value) >= 1000 || value == Math.rint(value)) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    if (Math.abs(value) >= 100) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
    return String.format(Locale.ROOT, "%.2f", value);
  }

  public synchronized void writeJson(Path file) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("started", started.toString());
    root.put("machine", machine.asMap());
    root.put("settings", settings);
    root.put("targets", targets);
    root.put("scenarios", titles);
    List<Map<String, Object>> results = new ArrayList<>();
    for (Row row : rows) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("scenario", row.scenario());
      r.put("target", row.target());
      r.put("figure", row.figure());
      if (row.value() != null) {
        r.put("value", Double.isNaN(row.value()) ? null : row.value());
        r.put("unit", row.unit());
      } else {
        r.put("text", row.text());
      }
      if (row.goal() != null) {
        r.put("goal", row.goal().text());
        r.put("met", row.goal().met());
      }
      results.add(r);
    }
    root.put("results", results);
    root.put("notes", notes);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
  }
}
