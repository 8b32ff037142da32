package io.gatehouse.edge.uplink;

import java.time.Instant;

/**
 * Where the uplink's credential comes from. Pluggable, so that a TPM-held key (which signs tokens
 * without ever leaving the TPM) can replace the key from a file without touching the uplink.
 */
public interface CredentialSource {
  /** A credential valid from {@code now}; called for every (re)connect. */
  UplinkCredential credential(Instant now);

  /** For the posture report and the certification checks: e.g. "sas-key-file (insecure: key on disk)". */
  String kind();
}
