package io.gatehouse.edge.local.coap;

import io.gatehouse.edge.local.RecordingLeafSink;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A started CoAP endpoint on 127.0.0.1 with an ephemeral port, two known leaves and a recording sink. */
final class EdgeUnderTest implements AutoCloseable {
  static final String LEAF = "leaf-1";
  static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  static final String OTHER_LEAF = "leaf-2";
  static final byte[] OTHER_KEY = "fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
  static final LeafPsks PSKS = LeafPsks.of(Map.of(LEAF, KEY, OTHER_LEAF, OTHER_KEY));

  final RecordingLeafSink sink = new RecordingLeafSink();
  final CoapLeafEndpoint endpoint;
  private final List<LeafClient> clients = new ArrayList<>();

  EdgeUnderTest() {
    this(UnaryOperator.identity());
  }

  EdgeUnderTest(UnaryOperator<CoapConfig> tweak) {
    endpoint = new CoapLeafEndpoint(tweak.apply(config(List.of(new InetSocketAddress("127.0.0.1", 0)))), sink);
    endpoint.start();
  }

  static CoapConfig config(List<InetSocketAddress> addresses) {
    return CoapConfig.defaults(addresses, PSKS);
  }

  InetSocketAddress address() {
    return endpoint.boundAddresses().getFirst();
  }

  /** A leaf client with the right key; closed with the edge. */
  LeafClient leaf(String leafId) {
    return client(leafId, leafId.equals(LEAF) ? KEY : OTHER_KEY);
  }

  LeafClient client(String identity, byte[] key) {
    LeafClient client = new LeafClient(identity, key, address());
    clients.add(client);
    return client;
  }

  @Override
  public void close() {
    clients.forEach(LeafClient::close);
    endpoint.close();
  }
}
