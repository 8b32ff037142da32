package io.gatehouse.interop;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * Lets TSS.Java's own TCP device ({@code new TpmDeviceTcp(host, port, true)}, the "user mode TRM"
 * client) reach a swtpm: this test-only bridge speaks that framing (the Microsoft simulator's
 * SendCommand with TSS.Java's first, "old TRM" header: locality, debug level, command-sent flag) and
 * passes each command to swtpm's raw TCP port. One client at a time, as swtpm itself.
 */
final class UserModeTrmBridge implements AutoCloseable {
  private static final int SEND_COMMAND = 8;
  private static final int SESSION_END = 20;

  private final ServerSocket server;
  private final int swtpmPort;
  private final Thread acceptor;
  private volatile Socket current;

  UserModeTrmBridge(int swtpmPort) throws IOException {
    this.swtpmPort = swtpmPort;
    this.server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
    this.acceptor = Thread.ofVirtual().name("trm-bridge").start(this::serve);
  }

  int port() {
    return server.getLocalPort();
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket client = server.accept(); Socket tpm = new Socket(InetAddress.getLoopbackAddress(), swtpmPort)) {
        current = client;
        tpm.setTcpNoDelay(true);
        client.setTcpNoDelay(true);
        relay(new DataInputStream(client.getInputStream()), new DataOutputStream(client.getOutputStream()),
            tpm.getOutputStream(), new DataInputStream(tpm.getInputStream()));
      } catch (IOException e) {
        // The client went away (or the bridge closed): wait for the next one.
      }
    }
  }

  private static void relay(DataInputStream in, DataOutputStream out, OutputStream toTpm, DataInputStream fromTpm)
      throws IOException {
    while (true) {
      int command;
      try {
        command = in.readInt();
      } catch (EOFException e) {
        return;
      }
      if (command == SESSION_END) {
        return;
      }
      if (command != SEND_COMMAND) {
        throw new IOException("TRM command " + command + " is not supported by this bridge");
      }
      in.readUnsignedByte(); // locality
      in.readUnsignedByte(); // debug level
      in.readUnsignedByte(); // command sent
      byte[] tpmCommand = new byte[in.readInt()];
      in.readFully(tpmCommand);
      toTpm.write(tpmCommand);
      toTpm.flush();
      byte[] response = readResponse(fromTpm);
      out.writeInt(response.length);
      out.write(response);
      out.writeInt(0);
      out.flush();
    }
  }

  /** A TPM response: tag (2), size (4, the whole response), code (4), then the rest. */
  private static byte[] readResponse(InputStream tpm) throws IOException {
    byte[] header = new DataInputStream(tpm).readNBytes(10);
    if (header.length < 10) {
      throw new EOFException("swtpm closed the connection");
    }
    int size = ByteBuffer.wrap(header, 2, 4).getInt();
    byte[] response = new byte[size];
    System.arraycopy(header, 0, response, 0, 10);
    new DataInputStream(tpm).readFully(response, 10, size - 10);
    return response;
  }

  @Override
  public void close() throws IOException {
    server.close();
    Socket client = current;
    if (client != null) {
      client.close(); // a client that never closes its TPM connection
    }
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
