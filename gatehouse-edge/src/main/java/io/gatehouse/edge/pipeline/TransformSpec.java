package io.gatehouse.edge.pipeline;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code type: transform}: reshapes each reading. The steps run in this order: rename, scale,
 * convert, drop; so scale and convert name fields by their new names.
 *
 * <pre>{@code
 * - type: transform
 *   rename: { temp_c: temperature }                     # old name: new name
 *   scale: { pressure: { factor: 0.001, offset: 0 } }  # value * factor + offset (defaults 1 and 0)
 *   convert: { temperature: celsius_to_fahrenheit }     # see UnitConversion for the names
 *   drop: [ debug_counter ]
 * }</pre>
 *
 * At least one step is required. A renamed field replaces a field of the same name already in the
 * reading. Scale and convert leave a non-numeric value unchanged.
 */
public record TransformSpec(Map<String, String> rename, Map<String, Scale> scale,
    Map<String, UnitConversion> convert, List<String> drop) implements StageSpec {

  private static final String STAGE = "transform";

  public TransformSpec {
    rename = rename == null ? Map.of() : Map.copyOf(rename);
    scale = scale == null ? Map.of() : Map.copyOf(scale);
    convert = convert == null ? Map.of() : Map.copyOf(convert);
    drop = SpecChecks.fieldNames(STAGE, "drop", drop);
    if (rename.isEmpty() && scale.isEmpty() && convert.isEmpty() && drop.isEmpty()) {
      throw new IllegalArgumentException(STAGE + ": nothing to do; give at least one of rename, scale, convert, drop");
    }
    Set<String> targets = new HashSet<>();
    rename.forEach((from, to) -> {
      SpecChecks.fieldName(STAGE, "rename", from);
      SpecChecks.fieldName(STAGE, "rename", to);
      if (!targets.add(to)) {
        throw new IllegalArgumentException(STAGE + ": 'rename' maps two fields to '" + to + "'; each new name may be used once");
      }
    });
    scale.keySet().forEach(field -> SpecChecks.fieldName(STAGE, "scale", field));
    convert.keySet().forEach(field -> SpecChecks.fieldName(STAGE, "convert", field));
  }

  /** A linear rescaling: {@code value * factor + offset}. */
  public record Scale(Double factor, Double offset) {
    public Scale {
      if (factor == null && offset == null) {
        throw new IllegalArgumentException(STAGE + ": a 'scale' entry needs factor and/or offset, e.g. { factor: 0.001, offset: 0 }");
      }
      factor = factor == null ? 1.0 : factor;
      offset = offset == null ? 0.0 : offset;
      if (!Double.isFinite(factor) || !Double.isFinite(offset)) {
        throw new IllegalArgumentException(STAGE + ": scale factor and offset must be finite numbers");
      }
    }

    double apply(double value) {
      return value * factor + offset;
    }
  }
}
