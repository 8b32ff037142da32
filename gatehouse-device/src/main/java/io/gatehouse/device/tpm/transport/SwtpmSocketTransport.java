package io.gatehouse.device.tpm.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * swtpm's TCP server ({@code swtpm socket --tpm2 --server type=tcp,port=P}): raw TPM commands and
 * responses on one connection, nothing around them. (Microsoft's and IBM's simulators wrap each
 * command in a small protocol of their own; swtpm does not.) Nagle is off, because every command
 * waits for its answer: with it on, small commands wait for delayed acknowledgements.
 *
 * <p>swtpm serves one connection at a time: while this transport is open, other clients wait.
 */
public final class SwtpmSocketTransport implements TpmTransport {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** Generous: creating an RSA-2048 primary key takes a simulator up to seconds, a hardware TPM a minute. */
  public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(120);

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final String peer;
  private final Duration responseTimeout;
  private final ReentrantLock lock = new ReentrantLock();
  private String brokenBecause;

  private SwtpmSocketTransport(Socket socket, String peer, Duration responseTimeout) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    this.peer = peer;
    this.responseTimeout = responseTimeout;
  }

  public static SwtpmSocketTransport connect(String host, int port) {
    return connect(new InetSocketAddress(host, port), DEFAULT_CONNECT_TIMEOUT, DEFAULT_RESPONSE_TIMEOUT);
  }

  public static SwtpmSocketTransport connect(InetSocketAddress address, Duration connectTimeout,
      Duration responseTimeout) {
    String peer = "swtpm " + address.getHostString() + ":" + address.getPort();
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(address, Math.toIntExact(connectTimeout.toMillis()));
      return new SwtpmSocketTransport(socket, peer, responseTimeout);
    } catch (ConnectException e) {
      closeQuietly(socket);
      throw new TpmTransportException(peer + " refused the connection: is swtpm running with "
          + "--server type=tcp,port=" + address.getPort() + "?", e);
    } catch (SocketTimeoutException e) {
      closeQuietly(socket);
      throw new TpmTransportException(peer + " did not accept a connection within " + connectTimeout.toMillis()
          + " ms (swtpm serves one client at a time: is another one connected?)", e);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new TpmTransportException("cannot connect to " + peer + ": " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] transmit(byte[] command) {
    TpmFrames.checkCommand(command);
    lock.lock();
    try {
      if (brokenBecause != null) {
        throw new TpmTransportException("the connection to " + peer + " is unusable after an earlier failure ("
            + brokenBecause + "); open a new one");
      }
      try {
        out.write(command);
        out.flush();
        long deadline = System.nanoTime() + responseTimeout.toNanos();
        byte[] header = readFully(TpmFrames.HEADER_BYTES, deadline, "response header");
        int size = TpmFrames.responseSize(header, peer);
        byte[] response = new byte[size];
        System.arraycopy(header, 0, response, 0, header.length);
        byte[] body = readFully(size - header.length, deadline, "response body");
        System.arraycopy(body, 0, response, header.length, body.length);
        return response;
      } catch (IOException e) {
        throw broken(peer + " failed: " + e.getMessage(), e);
      } catch (TpmTransportException e) {
        brokenBecause = e.getMessage();
        closeQuietly(socket);
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  private byte[] readFully(int count, long deadline, String what) throws IOException {
    byte[] buffer = new byte[count];
    int read = 0;
    while (read < count) {
      long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
      if (remainingMillis <= 0) {
        throw broken(peer + " did not answer within " + responseTimeout.toMillis() + " ms (" + read + " of "
            + count + " bytes of the " + what + " arrived)", null);
      }
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, remainingMillis));
      int n;
      try {
        n = in.read(buffer, read, count - read);
      } catch (SocketTimeoutException e) {
        continue;
      }
      if (n < 0) {
        throw broken(peer + " closed the connection after " + read + " of " + count + " bytes of the " + what
            + " (swtpm ends a connection it cannot parse, and exits if it was started with --terminate)", null);
      }
      read += n;
    }
    return buffer;
  }

  private TpmTransportException broken(String message, Throwable cause) {
    brokenBecause = message;
    closeQuietly(socket);
    return new TpmTransportException(message, cause);
  }

  @Override
  public String describe() {
    return peer;
  }

  @Override
  public boolean isSimulator() {
    return true;
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing is best effort: the connection is gone either way.
    }
  }
}
