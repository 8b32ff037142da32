package io.gatehouse.device.tpm.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.device.testing.SwtpmExtension;
import io.gatehouse.device.testing.Swtpms;
import io.gatehouse.device.tpm.TpmCommandException;
import io.gatehouse.device.tpm.TpmIdentity;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Raw TPM framing over TCP: against a real swtpm, and against small peers on real sockets that
 * misbehave in the ways a real swtpm cannot be made to (silence, a cut, a wrong tag, an absurd size,
 * a response in fragments).
 */
@ExtendWith(SwtpmExtension.class)
class SwtpmSocketTransportTest {
  /** TPM2_GetRandom(16), no sessions. */
  private static final byte[] GET_RANDOM_16 = HexFormat.of().parseHex("80010000000c0000017b0010");
  private static final Duration SHORT = Duration.ofMillis(300);

  @Test
  void aRealSwtpmAnswersRawCommandsReadByTheirHeaderSize(Swtpms swtpms) throws Exception {
    try (SwtpmSocketTransport transport = swtpms.start().connect()) {
      for (int i = 0; i < 3; i++) {
        byte[] response = transport.transmit(GET_RANDOM_16);
        // tag 0x8001, size 28, TPM_RC_SUCCESS, TPM2B of 16 random bytes
        assertThat(HexFormat.of().formatHex(response, 0, 12)).isEqualTo("8001" + "0000001c" + "00000000" + "0010");
        assertThat(response).hasSize(28);
      }
      // Startup again: swtpm has done it, so this is an error response of just a header.
      byte[] startup = transport.transmit(HexFormat.of().parseHex("80010000000c000001440000"));
      assertThat(HexFormat.of().formatHex(startup)).isEqualTo("80010000000a00000100");
    }
  }

  @Test
  void aSwtpmWithoutInitialisationIsExplained(Swtpms swtpms) throws Exception {
    String address = swtpms.startUninitialised().address();
    assertThatThrownBy(() -> TpmIdentity.open(address))
        .isInstanceOf(TpmCommandException.class)
        .hasMessageContaining("TPM_RC_FAILURE")
        .hasMessageContaining("--flags not-need-init,startup-clear");
  }

  @Test
  void aResponseInFragmentsIsReassembled() throws Exception {
    byte[] response = HexFormat.of().parseHex("80010000001c000000000010" + "00112233445566778899aabbccddeeff");
    try (FakePeer peer = new FakePeer(out -> {
      for (byte b : response) {
        out.write(b);
        out.flush();
      }
    }); SwtpmSocketTransport transport = peer.connect(Duration.ofSeconds(10))) {
      assertThat(transport.transmit(GET_RANDOM_16)).isEqualTo(response);
    }
  }

  @Test
  void silenceEndsInATimeoutAndTheConnectionIsNotReused() throws Exception {
    // The peer waits for this latch (never for a clock) and is released before it is closed.
    CountDownLatch release = new CountDownLatch(1);
    try (FakePeer peer = new FakePeer(out -> await(release)); SwtpmSocketTransport transport = peer.connect(SHORT)) {
      assertThatThrownBy(() -> transport.transmit(GET_RANDOM_16))
          .isInstanceOf(TpmTransportException.class)
          .hasMessageContaining("did not answer within 300 ms (0 of 10 bytes of the response header arrived)");
      assertThatThrownBy(() -> transport.transmit(GET_RANDOM_16))
          .isInstanceOf(TpmTransportException.class).hasMessageContaining("unusable after an earlier failure");
      release.countDown();
    }
  }

  @Test
  void aConnectionCutInTheMiddleOfAResponseIsReported() throws Exception {
    try (FakePeer peer = new FakePeer(out -> out.write(HexFormat.of().parseHex("80010000001c00000000" + "0010aabb")));
        SwtpmSocketTransport transport = peer.connect(Duration.ofSeconds(10))) {
      assertThatThrownBy(() -> transport.transmit(GET_RANDOM_16))
          .isInstanceOf(TpmTransportException.class)
          .hasMessageContaining("closed the connection after 4 of 18 bytes of the response body");
    }
  }

  @Test
  void somethingThatIsNotATpmResponseIsRefusedBeforeItIsRead() throws Exception {
    try (FakePeer peer = new FakePeer(out -> out.write("HTTP/1.1 400 Bad Request\r\n".getBytes()));
        SwtpmSocketTransport transport = peer.connect(Duration.ofSeconds(10))) {
      assertThatThrownBy(() -> transport.transmit(GET_RANDOM_16))
          .isInstanceOf(TpmTransportException.class).hasMessageContaining("tag 0x4854, which is not a TPM 2.0 response");
    }
    try (FakePeer peer = new FakePeer(out -> out.write(HexFormat.of().parseHex("80014000000000000000")));
        SwtpmSocketTransport transport = peer.connect(Duration.ofSeconds(10))) {
      assertThatThrownBy(() -> transport.transmit(GET_RANDOM_16))
          .isInstanceOf(TpmTransportException.class).hasMessageContaining("declaring 1073741824 bytes");
    }
  }

  @Test
  void aMalformedCommandIsRefusedBeforeItIsSent() throws Exception {
    try (FakePeer peer = new FakePeer(out -> { }); SwtpmSocketTransport transport = peer.connect(SHORT)) {
      assertThatThrownBy(() -> transport.transmit(HexFormat.of().parseHex("80010000000d0000017b0010")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("header says 13 bytes but it has 12");
      assertThatThrownBy(() -> transport.transmit(HexFormat.of().parseHex("00c10000000c0000017b0010")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 0x00c1");
    }
  }

  @Test
  void aPortWithoutSwtpmIsNamedInTheError() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    assertThatThrownBy(() -> SwtpmSocketTransport.connect("127.0.0.1", port))
        .isInstanceOf(TpmTransportException.class)
        .hasMessageContaining("swtpm 127.0.0.1:" + port + " refused the connection")
        .hasMessageContaining("--server type=tcp,port=" + port);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A one-connection TCP peer that reads one TPM command by its header and answers with a script. */
  private static final class FakePeer implements AutoCloseable {
    interface Script {
      void answer(OutputStream out) throws IOException;
    }

    private final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    private final Thread thread;

    FakePeer(Script script) throws IOException {
      thread = Thread.ofVirtual().start(() -> {
        try (Socket s = server.accept()) {
          s.setTcpNoDelay(true);
          DataInputStream in = new DataInputStream(s.getInputStream());
          byte[] header = new byte[10];
          in.readFully(header);
          int size = ((header[2] & 0xff) << 24) | ((header[3] & 0xff) << 16) | ((header[4] & 0xff) << 8) | (header[5] & 0xff);
          in.readFully(new byte[size - 10]);
          script.answer(s.getOutputStream());
          s.getOutputStream().flush();
        } catch (IOException ignored) {
          // The client went away: nothing more to answer.
        }
      });
    }

    SwtpmSocketTransport connect(Duration responseTimeout) {
      return SwtpmSocketTransport.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()),
          Duration.ofSeconds(5), responseTimeout);
    }

    @Override
    public void close() throws Exception {
      server.close();
      thread.join(Duration.ofSeconds(10));
    }
  }
}
