package io.gatehouse.server.provisioning;

/**
 * The error codes the provisioning service answers with, each an HTTP status times 1000 plus a
 * detail number, as Azure DPS numbers its own (its exact numbers are not published as a list; these
 * follow the same pattern and are documented in docs/service-api.md).
 */
public enum DpsErrorCode {
  /** The body is not JSON, or not the DeviceRegistration shape, or names another registration id. */
  MALFORMED_REQUEST(400, 400004),
  /** The registration id in the path is not a valid registration id. */
  INVALID_REGISTRATION_ID(400, 400005),
  /** No credential, a malformed one, a wrong signature, an expired or reused token, an unknown registration. */
  UNAUTHORIZED(401, 401002),
  /** The enrollment that admits the device is disabled, or its device is disabled in the registry. */
  DISABLED(403, 403001),
  /** No provisioning service with this ID scope here, or no such registration or operation. */
  NOT_FOUND(404, 404001),
  /** The device id is taken by a device this registration did not provision, or the parent is unusable. */
  CONFLICT(409, 409001),
  /** The body is larger than the provisioning service accepts. */
  TOO_LARGE(413, 413001),
  /** The gateway is overloaded; retry after a while. */
  THROTTLED(429, 429001),
  /** The gateway failed; the failure is logged with the tracking id. */
  INTERNAL(500, 500001),
  /** TPM attestation needs a component this build does not have. */
  NOT_IMPLEMENTED(501, 501001);

  private final int status;
  private final int errorCode;

  DpsErrorCode(int status, int errorCode) {
    this.status = status;
    this.errorCode = errorCode;
  }

  public int status() {
    return status;
  }

  public int errorCode() {
    return errorCode;
  }
}
