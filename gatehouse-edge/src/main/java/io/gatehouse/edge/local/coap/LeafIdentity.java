package io.gatehouse.edge.local.coap;

import java.util.Optional;
import org.eclipse.californium.elements.EndpointContext;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;

/**
 * The leaf a CoAP message came from: the PSK identity its DTLS handshake proved. Never taken from
 * the URI or the payload, so a leaf can only ever speak as itself.
 */
final class LeafIdentity {
  private LeafIdentity() {}

  /** The leaf id, or empty if the message did not come over a PSK-authenticated DTLS session. */
  static Optional<String> of(EndpointContext source) {
    if (source != null && source.getPeerIdentity() instanceof PreSharedKeyIdentity psk
        && psk.getIdentity() != null && !psk.getIdentity().isEmpty()) {
      return Optional.of(psk.getIdentity());
    }
    return Optional.empty();
  }
}
