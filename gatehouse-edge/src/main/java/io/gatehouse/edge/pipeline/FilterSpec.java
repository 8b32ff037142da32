package io.gatehouse.edge.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * {@code type: filter}: keeps (or drops) readings by one condition on one field.
 *
 * <pre>{@code
 * - type: filter
 *   field: temperature   # required
 *   op: ">"              # required: > >= < <= == != (quoted in YAML), or gt ge lt le eq ne
 *   value: -40           # required: number, boolean or string; ordering ops need a number
 *   keep: true           # optional, default true; false drops the readings that match instead
 *   if-missing: drop     # optional: pass | drop a reading without the field or with a value of
 *                        #   another type than 'value'; default drop when keep is true, else pass
 * }</pre>
 */
public record FilterSpec(String field, ComparisonOp op, Object value, Boolean keep,
    @JsonProperty("if-missing") IfMissing ifMissing) implements StageSpec {

  private static final String STAGE = "filter";

  public FilterSpec {
    SpecChecks.fieldName(STAGE, "field", field);
    SpecChecks.require(STAGE, "op", op, "use one of > >= < <= == !=");
    value = switch (SpecChecks.require(STAGE, "value", value, "give the number, boolean or string to compare with")) {
      case Number number when Double.isFinite(number.doubleValue()) -> number.doubleValue();
      case Boolean flag -> flag;
      case String text -> text;
      default -> throw new IllegalArgumentException(STAGE + ": 'value' " + value + " is not a finite number, boolean or string");
    };
    if (op.ordersValues() && !(value instanceof Double)) {
      throw new IllegalArgumentException(STAGE + ": op '" + op + "' compares numbers, but value '" + value
          + "' is not a number; use == or != for booleans and strings");
    }
    keep = keep == null || keep;
    ifMissing = ifMissing != null ? ifMissing : keep ? IfMissing.DROP : IfMissing.PASS;
  }

  /** What a filter does with a reading it cannot judge. */
  public enum IfMissing {
    PASS,
    DROP;

    @JsonValue
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static IfMissing of(String configName) {
      for (IfMissing choice : values()) {
        if (choice.configName().equals(configName)) {
          return choice;
        }
      }
      throw new IllegalArgumentException(STAGE + ": 'if-missing' is '" + configName + "'; expected pass or drop");
    }
  }
}
