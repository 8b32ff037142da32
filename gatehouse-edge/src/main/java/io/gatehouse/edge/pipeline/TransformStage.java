package io.gatehouse.edge.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renames, rescales, converts and drops fields; see {@link TransformSpec} for the config. A reading
 * left without fields is dropped: there is nothing to send.
 */
public final class TransformStage implements PerReadingStage {
  private final Map<String, String> rename;
  private final Map<String, TransformSpec.Scale> scale;
  private final Map<String, UnitConversion> convert;
  private final List<String> drop;

  public TransformStage(TransformSpec spec) {
    this.rename = spec.rename();
    this.scale = spec.scale();
    this.convert = spec.convert();
    this.drop = spec.drop();
  }

  @Override
  public Optional<Reading> apply(Reading reading) {
    Map<String, Object> fields = renamed(reading.fields());
    scale.forEach((field, linear) -> {
      if (fields.get(field) instanceof Double number) {
        fields.put(field, linear.apply(number));
      }
    });
    convert.forEach((field, conversion) -> {
      if (fields.get(field) instanceof Double number) {
        fields.put(field, conversion.apply(number));
      }
    });
    drop.forEach(fields::remove);
    return fields.isEmpty() ? Optional.empty() : Optional.of(reading.withFields(fields));
  }

  /** Renames in place, keeping field order; a renamed field wins over one already carrying its new name. */
  private Map<String, Object> renamed(Map<String, Object> original) {
    Map<String, Object> fields = new LinkedHashMap<>(original.size() * 2);
    for (Map.Entry<String, Object> field : original.entrySet()) {
      String newName = rename.get(field.getKey());
      if (newName != null) {
        fields.put(newName, field.getValue());
      } else if (!isOverwrittenByRename(field.getKey(), original)) {
        fields.putIfAbsent(field.getKey(), field.getValue());
      }
    }
    return fields;
  }

  private boolean isOverwrittenByRename(String name, Map<String, Object> original) {
    for (Map.Entry<String, String> rule : rename.entrySet()) {
      if (rule.getValue().equals(name) && original.containsKey(rule.getKey())) {
        return true;
      }
    }
    return false;
  }
}
