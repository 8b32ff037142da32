package io.gatehouse.device.tpm;

import java.util.Optional;
import tss.TpmHelpers;

/** TPM 2.0 response codes (Part 2 §6.6): the few this SDK acts on, and a readable form of any. */
final class ResponseCodes {
  static final int SUCCESS = 0x000;
  static final int INITIALIZE = 0x100;
  static final int FAILURE = 0x101;
  static final int HANDLE = 0x08B;

  private static final int FORMAT_ONE = 0x080;
  private static final int PARAMETER_FLAG = 0x040;
  private static final int SESSION_FLAG = 0x800;

  private ResponseCodes() {}

  static int error(int raw) {
    return (raw & FORMAT_ONE) != 0 ? raw & 0xBF : raw & 0x97F;
  }

  static Optional<Integer> parameter(int raw) {
    if ((raw & FORMAT_ONE) != 0 && (raw & PARAMETER_FLAG) != 0) {
      return Optional.of((raw >>> 8) & 0xF);
    }
    return Optional.empty();
  }

  /** E.g. {@code TPM_RC_INTEGRITY (0x19f, parameter 1)}. */
  static String describe(int raw) {
    String name;
    try {
      name = "TPM_RC_" + TpmHelpers.fromRawResponse(raw).name();
    } catch (RuntimeException unknown) {
      name = "TPM response code";
    }
    StringBuilder s = new StringBuilder(name).append(" (0x").append(Integer.toHexString(raw));
    if ((raw & FORMAT_ONE) != 0) {
      int n = (raw >>> 8) & 0xF;
      if ((raw & PARAMETER_FLAG) != 0) {
        s.append(", parameter ").append(n);
      } else if (n != 0) {
        s.append((raw & SESSION_FLAG) != 0 ? ", session " : ", handle ").append(n & 0x7);
      }
    }
    return s.append(')').toString();
  }
}
