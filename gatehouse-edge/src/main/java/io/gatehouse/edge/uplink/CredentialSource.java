package io.gatehouse.edge.uplink;

import java.time.Instant;

/**
 * Where the uplink's credential comes from. Pluggable, so that a TPM-held key (which signs tokens,
 * or a TLS handshake, without ever leaving the TPM) can replace a key file without touching the
 * uplink: a source hands out a SAS token or a client certificate ({@link UplinkCredential}).
 */
public interface CredentialSource {
  /**
   * A credential valid at {@code now}; called right before every (re)connect, so a renewed
   * certificate or key file is used from the next connection on.
   *
   * @throws RuntimeException if no usable credential can be made now (a file is unreadable or
   *     half-replaced, a certificate expired): the message says why; the uplink logs it and asks
   *     again after its next backoff delay
   */
  UplinkCredential credential(Instant now);

  /** For the posture report and the certification checks: e.g. "sas-key-file (insecure: key on disk)". */
  String kind();
}
