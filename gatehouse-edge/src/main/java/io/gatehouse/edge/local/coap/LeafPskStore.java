package io.gatehouse.edge.local.coap;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKey;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.PskSecretResult;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedPskStore;
import org.eclipse.californium.scandium.util.SecretUtil;
import org.eclipse.californium.scandium.util.ServerNames;

/**
 * Scandium's view of the leaves' keys: the PSK identity a client presents is looked up as a leaf id.
 * An unknown identity gets a fresh random key instead of a refusal (RFC 4279, section 2 allows it):
 * its handshake then fails exactly like one with a wrong key, when the client's Finished does not
 * decrypt. So the wire does not tell which leaf ids exist, and {@link DtlsEvents} sees both failures
 * in one place, with the claimed identity and the source address. (Scandium would otherwise drop the
 * unknown identity's record silently, with no event to report.) Answers synchronously; server only.
 */
final class LeafPskStore implements AdvancedPskStore {
  private static final int DECOY_KEY_BYTES = 16;

  private final LeafPsks psks;
  private final SecureRandom random = new SecureRandom();

  LeafPskStore(LeafPsks psks) {
    this.psks = psks;
  }

  @Override
  public boolean hasEcdhePskSupported() {
    return false; // only plain PSK suites are offered (RFC 7925)
  }

  @Override
  public PskSecretResult requestPskSecretResult(ConnectionId cid, ServerNames serverName, PskPublicInformation identity,
      String hmacAlgorithm, SecretKey otherSecret, byte[] seed, boolean useExtendedMasterSecret) {
    SecretKey key = identity.isCompliantEncoding() ? psks.secretFor(identity.getPublicInfoAsString()) : null;
    return new PskSecretResult(cid, identity, key != null ? key : decoy());
  }

  @Override
  public PskPublicInformation getIdentity(InetSocketAddress peerAddress, ServerNames virtualHost) {
    return null; // the edge never starts a handshake
  }

  @Override
  public void setResultHandler(HandshakeResultHandler resultHandler) {
    // results are returned at once, never through the handler
  }

  /** A key nobody knows, not even this store once the handshake is over. */
  private SecretKey decoy() {
    byte[] bytes = new byte[DECOY_KEY_BYTES];
    random.nextBytes(bytes);
    SecretKey key = SecretUtil.create(bytes, "PSK");
    Arrays.fill(bytes, (byte) 0);
    return key;
  }
}
