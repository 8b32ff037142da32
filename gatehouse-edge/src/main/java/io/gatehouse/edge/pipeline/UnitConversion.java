package io.gatehouse.edge.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Collectors;

/** The built-in unit conversions of the transform stage, named in config as e.g. {@code celsius_to_fahrenheit}. */
public enum UnitConversion {
  CELSIUS_TO_FAHRENHEIT(c -> c * 9 / 5 + 32),
  FAHRENHEIT_TO_CELSIUS(f -> (f - 32) * 5 / 9),
  CELSIUS_TO_KELVIN(c -> c + 273.15),
  KELVIN_TO_CELSIUS(k -> k - 273.15),
  FAHRENHEIT_TO_KELVIN(f -> (f - 32) * 5 / 9 + 273.15),
  KELVIN_TO_FAHRENHEIT(k -> (k - 273.15) * 9 / 5 + 32),
  KPA_TO_PSI(kpa -> kpa / Constants.KPA_PER_PSI),
  PSI_TO_KPA(psi -> psi * Constants.KPA_PER_PSI),
  PA_TO_KPA(pa -> pa / 1000),
  KPA_TO_PA(kpa -> kpa * 1000),
  HPA_TO_KPA(hpa -> hpa / 10),
  KPA_TO_HPA(kpa -> kpa * 10),
  BAR_TO_KPA(bar -> bar * 100),
  KPA_TO_BAR(kpa -> kpa / 100),
  MPS_TO_KMH(mps -> mps * 3.6),
  KMH_TO_MPS(kmh -> kmh / 3.6),
  MPS_TO_MPH(mps -> mps / Constants.MPS_PER_MPH),
  MPH_TO_MPS(mph -> mph * Constants.MPS_PER_MPH),
  METERS_TO_FEET(m -> m / Constants.METERS_PER_FOOT),
  FEET_TO_METERS(ft -> ft * Constants.METERS_PER_FOOT);

  private final DoubleUnaryOperator formula;

  UnitConversion(DoubleUnaryOperator formula) {
    this.formula = formula;
  }

  public double apply(double value) {
    return formula.applyAsDouble(value);
  }

  @JsonValue
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static UnitConversion of(String configName) {
    for (UnitConversion conversion : values()) {
      if (conversion.configName().equals(configName)) {
        return conversion;
      }
    }
    throw new IllegalArgumentException("unit conversion '" + configName + "' is unknown; expected one of "
        + Arrays.stream(values()).map(UnitConversion::configName).collect(Collectors.joining(", ")));
  }

  /** Exact definitions (enum constants cannot refer to static fields of their own enum). */
  private static final class Constants {
    static final double KPA_PER_PSI = 6.894757293168361;
    static final double MPS_PER_MPH = 0.44704;
    static final double METERS_PER_FOOT = 0.3048;
  }
}
