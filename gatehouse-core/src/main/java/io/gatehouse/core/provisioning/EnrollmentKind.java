package io.gatehouse.core.provisioning;

import io.gatehouse.core.identity.WireEnums;
import java.util.Locale;

/** An individual enrollment admits one registration id; a group admits every device that proves membership. */
public enum EnrollmentKind {
  INDIVIDUAL,
  GROUP;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static EnrollmentKind fromWire(String value) {
    return WireEnums.parse(EnrollmentKind.class, "kind", value);
  }
}
