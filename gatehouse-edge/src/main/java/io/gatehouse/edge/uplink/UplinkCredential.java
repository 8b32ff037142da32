package io.gatehouse.edge.uplink;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the uplink proves its identity with on one connection: the Azure-style user name of the
 * MQTT CONNECT, and either a SAS token as its password or a client certificate presented in the TLS
 * handshake (and no password). {@code toString()} never shows the token or the key.
 */
public sealed interface UplinkCredential {
  /** {@code {hostName}/{edgeId}/?api-version=…}, as Azure IoT Hub devices send it. */
  String userName();

  /** When the service gateway ends a session proven with this credential. */
  Instant expiresAt();

  /** A SAS token, sent as the CONNECT password. */
  record SasToken(String userName, byte[] token, Instant expiresAt) implements UplinkCredential {
    public SasToken {
      Objects.requireNonNull(userName, "userName");
      Objects.requireNonNull(expiresAt, "expiresAt");
      token = token.clone();
    }

    @Override
    public byte[] token() {
      return token.clone();
    }

    @Override
    public String toString() {
      return "SasToken[userName=" + userName + ", expiresAt=" + expiresAt + ", token=<hidden>]";
    }
  }

  /**
   * A certificate chain (the edge's own certificate first) and its private key, presented in the
   * TLS handshake. The key may be one that never leaves its store (a TPM's, through its JCA
   * provider); the uplink only asks it to sign the handshake.
   */
  record ClientCertificate(String userName, List<X509Certificate> chain, PrivateKey privateKey)
      implements UplinkCredential {
    public ClientCertificate {
      Objects.requireNonNull(userName, "userName");
      Objects.requireNonNull(privateKey, "privateKey");
      chain = List.copyOf(chain);
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("a client certificate credential needs at least one certificate");
      }
    }

    public X509Certificate certificate() {
      return chain.getFirst();
    }

    @Override
    public Instant expiresAt() {
      return certificate().getNotAfter().toInstant();
    }

    /** Never prints the key: some JDK key classes put the private value in their toString. */
    @Override
    public String toString() {
      return "ClientCertificate[userName=" + userName + ", subject=" + certificate().getSubjectX500Principal().getName()
          + ", expiresAt=" + expiresAt() + ", key=" + privateKey.getAlgorithm() + "]";
    }
  }
}
