package io.gatehouse.edge.pipeline;

import java.util.List;

/**
 * {@code type: window}: per device, aggregates tumbling windows of {@code seconds} (aligned to the
 * epoch) into one reading per window with {@code <field>_min}, {@code _max}, {@code _avg} and
 * {@code _count}, stamped with the window's start.
 *
 * <pre>{@code
 * - type: window
 *   seconds: 10             # required, 1 to 86400
 *   fields: [temperature]   # required, 1 to 16 numeric fields
 * }</pre>
 */
public record WindowSpec(Integer seconds, List<String> fields) implements StageSpec {
  public static final int MAX_SECONDS = 86_400;
  /** Four output fields per input field must fit in one reading. */
  public static final int MAX_FIELDS = Reading.MAX_FIELDS / 4;

  private static final String STAGE = "window";
  private static final int LONGEST_SUFFIX = "_count".length();

  public WindowSpec {
    SpecChecks.require(STAGE, "seconds", seconds, "give the window length in seconds, e.g. seconds: 10");
    SpecChecks.inRange(STAGE, "seconds", seconds, 1, MAX_SECONDS);
    fields = SpecChecks.fieldNames(STAGE, "fields", SpecChecks.require(STAGE, "fields", fields,
        "list the numeric fields to aggregate, e.g. fields: [temperature]"));
    SpecChecks.inRange(STAGE, "fields (count)", fields.size(), 1, MAX_FIELDS);
    if (fields.stream().distinct().count() != fields.size()) {
      throw new IllegalArgumentException(STAGE + ": 'fields' lists a field twice: " + fields);
    }
    for (String field : fields) {
      if (field.length() + LONGEST_SUFFIX > Reading.MAX_FIELD_NAME_LENGTH) {
        throw new IllegalArgumentException(STAGE + ": field '" + field + "' is too long to carry the '_count' suffix; "
            + "rename it to at most " + (Reading.MAX_FIELD_NAME_LENGTH - LONGEST_SUFFIX) + " characters first");
      }
    }
  }
}
