package io.gatehouse.edge.local.coap;

import static io.gatehouse.edge.local.coap.EdgeUnderTest.KEY;
import static io.gatehouse.edge.local.coap.EdgeUnderTest.LEAF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gatehouse.edge.local.LeafDeliveryException;
import io.gatehouse.edge.local.RecordingLeafSink.Refusal;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Leaves are authenticated by their DTLS PSK handshake only; refusals reach the sink, but not in floods. */
class CoapHandshakeTest {
  private static final byte[] WRONG_KEY = "not-the-right-key".getBytes(StandardCharsets.US_ASCII);

  private final EdgeUnderTest edge = new EdgeUnderTest();

  @AfterEach
  void tearDown() {
    edge.close();
  }

  @Test
  void aWrongKeyFailsTheHandshakeAndIsReportedAsARefusedLeaf() {
    LeafClient impostor = edge.client(LEAF, WRONG_KEY);

    assertThatThrownBy(() -> impostor.post("/telemetry", "1", -1).response()).isInstanceOf(ExecutionException.class);

    await().until(() -> !edge.sink.refusals.isEmpty());
    assertThat(edge.sink.refusals).singleElement().satisfies(refusal -> {
      assertThat(refusal.clientId()).isEqualTo(LEAF);
      assertThat(refusal.reason()).contains("wrong PSK");
      assertThat(refusal.from().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    });
    assertThat(edge.sink.accepted).isEmpty();
    assertThat(edge.sink.presence).isEmpty();
  }

  @Test
  void anUnknownIdentityFailsTheHandshakeAndIsReportedAsAnUnknownLeaf() {
    LeafClient stranger = edge.client("stranger", KEY);

    assertThatThrownBy(() -> stranger.post("/telemetry", "1", -1).response()).isInstanceOf(ExecutionException.class);

    await().until(() -> !edge.sink.refusals.isEmpty());
    assertThat(edge.sink.refusals).singleElement().satisfies(refusal -> {
      assertThat(refusal.clientId()).isEqualTo("stranger");
      assertThat(refusal.reason()).contains("unknown PSK identity");
    });
    assertThat(edge.sink.accepted).isEmpty();
    assertThat(edge.sink.presence).isEmpty();
  }

  @Test
  void repeatedRefusalsOfTheSameIdentityAndSourceAreReportedOnce() throws Exception {
    List<LeafClient> strangers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      strangers.add(edge.client("stranger", KEY));
    }

    List<LeafClient.Exchange> attempts = strangers.stream().map(s -> s.post("/telemetry", "1", -1)).toList();
    for (LeafClient.Exchange attempt : attempts) {
      assertThatThrownBy(attempt::response).isInstanceOf(ExecutionException.class);
    }
    stateThreadCaughtUp();

    assertThat(edge.sink.refusals).extracting(Refusal::clientId).containsExactly("stranger");
  }

  @Test
  void theGcmSuiteIsOfferedToo() throws Exception {
    LeafClient leaf = new LeafClient(LEAF, KEY, edge.address(), CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256);
    try {
      assertThat(leaf.post("/telemetry", "1", -1).response().getCode()).isEqualTo(ResponseCode.CHANGED);
    } finally {
      leaf.close();
    }
  }

  @Test
  void plainCoapWithoutDtlsGetsNoAnswer() throws Exception {
    // CON GET /telemetry, message id 0x1234, no token: what an unauthenticated CoAP client would send.
    byte[] plainGet = {0x40, 0x01, 0x12, 0x34, (byte) 0xB9, 't', 'e', 'l', 'e', 'm', 'e', 't', 'r', 'y'};
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      socket.setSoTimeout(1_000);
      socket.send(new DatagramPacket(plainGet, plainGet.length, edge.address()));

      assertThatThrownBy(() -> socket.receive(new DatagramPacket(new byte[1500], 1500)))
          .isInstanceOf(SocketTimeoutException.class);
    }
    assertThat(edge.sink.accepted).isEmpty();
  }

  /** deliver() runs on the endpoint's state thread after everything posted before it. */
  private void stateThreadCaughtUp() throws Exception {
    try {
      edge.endpoint.deliver("nobody", new byte[1]).get();
    } catch (ExecutionException expected) {
      assertThat(expected.getCause()).isInstanceOf(LeafDeliveryException.class);
    }
  }
}
