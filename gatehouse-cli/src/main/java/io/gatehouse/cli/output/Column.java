package io.gatehouse.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/** One column of a table: a header and how a row's JSON object turns into the cell text. */
public record Column(String header, Function<JsonNode, String> cell) {
  /** A column showing one field of each row as {@link Values#text} renders it. */
  public static Column field(String header, String field) {
    return new Column(header, row -> Values.text(row.get(field)));
  }
}
