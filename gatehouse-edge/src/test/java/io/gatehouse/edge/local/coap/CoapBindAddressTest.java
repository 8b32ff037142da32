package io.gatehouse.edge.local.coap;

import static io.gatehouse.edge.local.coap.EdgeUnderTest.KEY;
import static io.gatehouse.edge.local.coap.EdgeUnderTest.LEAF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.edge.local.LeafAdapter;
import io.gatehouse.edge.local.LeafListenerBindingContract;
import io.gatehouse.edge.local.RecordingLeafSink;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;

/** The CoAP endpoint listens on the configured LAN addresses only; UDP has no refusal, so the other address times out. */
class CoapBindAddressTest extends LeafListenerBindingContract {
  private final RecordingLeafSink sink = new RecordingLeafSink();

  @Override
  protected LeafAdapter endpoint(List<InetSocketAddress> addresses) {
    return new CoapLeafEndpoint(EdgeUnderTest.config(addresses), sink);
  }

  @Override
  protected Class<?> loggingClass() {
    return CoapLeafEndpoint.class;
  }

  @Override
  protected void assertReachableOnlyOnTheBoundAddress(int port) throws Exception {
    try (LeafClient right = new LeafClient(LEAF, KEY, new InetSocketAddress("127.0.0.1", port));
        LeafClient elsewhere = new LeafClient(LEAF, KEY, new InetSocketAddress("127.0.0.2", port))) {
      assertThat(right.post("/telemetry", "1", -1).response().getCode()).isEqualTo(ResponseCode.CHANGED);
      assertThatThrownBy(() -> elsewhere.post("/telemetry", "2", -1).response())
          .isInstanceOf(ExecutionException.class);
    }
    assertThat(sink.accepted).singleElement().satisfies(m -> assertThat(m.text()).isEqualTo("1"));
  }
}
