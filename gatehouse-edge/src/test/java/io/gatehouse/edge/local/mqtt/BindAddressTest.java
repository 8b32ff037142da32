package io.gatehouse.edge.local.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.edge.local.LeafAdapter;
import io.gatehouse.edge.local.LeafListenerBindingContract;
import io.gatehouse.edge.local.RecordingLeafSink;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

/** The plain MQTT endpoint has no TLS: it listens on the configured LAN addresses only. */
class BindAddressTest extends LeafListenerBindingContract {
  @Override
  protected LeafAdapter endpoint(List<InetSocketAddress> addresses) {
    return new LocalMqttEndpoint(LocalMqttConfig.defaults(addresses), TestEndpoint.CREDENTIALS, new RecordingLeafSink());
  }

  @Override
  protected Class<?> loggingClass() {
    return LocalMqttEndpoint.class;
  }

  @Override
  protected void assertReachableOnlyOnTheBoundAddress(int port) throws Exception {
    try (Socket ok = new Socket("127.0.0.1", port)) {
      assertThat(ok.isConnected()).isTrue();
    }
    assertThatThrownBy(() -> new Socket("127.0.0.2", port).close()).isInstanceOf(ConnectException.class);
  }
}
