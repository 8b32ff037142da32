package io.gatehouse.device.tpm;

/** An authentication key blob could not be imported; the earlier identity key, if any, is still in place. */
public final class ActivationException extends RuntimeException {
  public enum Reason {
    /** Not six well-formed TPM2B fields, or a public area that does not parse. */
    MALFORMED_BLOB,
    /** The key in the blob is not an HMAC-SHA256 signing key that stays in the TPM. */
    UNSAFE_IDENTITY_KEY,
    /** ActivateCredential refused it: made for another TPM's endorsement or storage root key, or altered. */
    NOT_FOR_THIS_TPM,
    /** The credential was accepted but Import refused the key: its duplicate or seed was altered. */
    IMPORT_REFUSED
  }

  private final Reason reason;

  public ActivationException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ActivationException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
