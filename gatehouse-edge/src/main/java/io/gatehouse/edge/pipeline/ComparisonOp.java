package io.gatehouse.edge.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A comparison written in config as a symbol ({@code > >= < <= == !=}) or its word ({@code gt ge lt le
 * eq ne}); the words spare YAML users the quoting that {@code >} and {@code !=} need.
 */
public enum ComparisonOp {
  GREATER(">", "gt"),
  GREATER_OR_EQUAL(">=", "ge"),
  LESS("<", "lt"),
  LESS_OR_EQUAL("<=", "le"),
  EQUAL("==", "eq"),
  NOT_EQUAL("!=", "ne");

  private final String symbol;
  private final String word;

  ComparisonOp(String symbol, String word) {
    this.symbol = symbol;
    this.word = word;
  }

  @JsonValue
  public String symbol() {
    return symbol;
  }

  @JsonCreator
  public static ComparisonOp of(String text) {
    for (ComparisonOp op : values()) {
      if (op.symbol.equals(text) || op.word.equals(text)) {
        return op;
      }
    }
    throw new IllegalArgumentException("op '" + text + "' is unknown; expected one of "
        + Arrays.stream(values()).map(op -> op.symbol).collect(Collectors.joining(" "))
        + " (quote them in YAML, e.g. op: \">\") or " + Arrays.stream(values()).map(op -> op.word).collect(Collectors.joining(" ")));
  }

  /** Whether this op needs an order ({@code < >}), so only numbers can be compared with it. */
  public boolean ordersValues() {
    return this != EQUAL && this != NOT_EQUAL;
  }

  public boolean test(double actual, double reference) {
    int order = Double.compare(actual, reference);
    return switch (this) {
      case GREATER -> order > 0;
      case GREATER_OR_EQUAL -> order >= 0;
      case LESS -> order < 0;
      case LESS_OR_EQUAL -> order <= 0;
      case EQUAL -> order == 0;
      case NOT_EQUAL -> order != 0;
    };
  }

  /**
   * Compares two field values of the same type; numbers by value, booleans and strings by equality
   * (an ordering op on them is false).
   */
  public boolean test(Object actual, Object reference) {
    if (actual instanceof Double a && reference instanceof Double r) {
      return test(a.doubleValue(), r.doubleValue());
    }
    return switch (this) {
      case EQUAL -> actual.equals(reference);
      case NOT_EQUAL -> !actual.equals(reference);
      default -> false;
    };
  }

  @Override
  public String toString() {
    return symbol;
  }
}
