package io.gatehouse.device.tpm;

import java.util.Optional;

/** The TPM refused a command. The message names the command, the TPM's response code, and what it usually means. */
public final class TpmCommandException extends RuntimeException {
  private final String command;
  private final int responseCode;

  public TpmCommandException(String command, int responseCode, String message) {
    super(message);
    this.command = command;
    this.responseCode = responseCode;
  }

  public String command() {
    return command;
  }

  /** The raw TPM_RC, with the handle, session or parameter number in it. */
  public int responseCode() {
    return responseCode;
  }

  /** The response code without the handle, session or parameter number. */
  public int error() {
    return ResponseCodes.error(responseCode);
  }

  /** For format-1 codes: which parameter (1-based) the TPM blames, if it names one. */
  public Optional<Integer> parameter() {
    return ResponseCodes.parameter(responseCode);
  }
}
