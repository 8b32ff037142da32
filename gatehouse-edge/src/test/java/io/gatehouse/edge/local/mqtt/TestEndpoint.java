package io.gatehouse.edge.local.mqtt;

import io.gatehouse.edge.local.LeafCredentials;
import io.gatehouse.edge.local.RecordingLeafSink;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A started endpoint on 127.0.0.1 with an ephemeral port, two known leaves and a recording sink. */
final class TestEndpoint implements AutoCloseable {
  static final String LEAF = "leaf-1";
  static final String PASSWORD = "pw-leaf-1";
  static final String OTHER_LEAF = "leaf-2";
  static final LeafCredentials CREDENTIALS = LeafCredentials.of(Map.of(LEAF, PASSWORD, OTHER_LEAF, "pw-leaf-2"));

  final RecordingLeafSink sink = new RecordingLeafSink();
  final LocalMqttEndpoint endpoint;

  TestEndpoint() {
    this(UnaryOperator.identity());
  }

  TestEndpoint(UnaryOperator<LocalMqttConfig> tweak) {
    LocalMqttConfig config = tweak.apply(LocalMqttConfig.defaults(List.of(new InetSocketAddress("127.0.0.1", 0))));
    endpoint = new LocalMqttEndpoint(config, CREDENTIALS, sink);
    endpoint.start();
  }

  int port() {
    return endpoint.boundAddresses().getFirst().getPort();
  }

  @Override
  public void close() {
    endpoint.close();
  }
}
