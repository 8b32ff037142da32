package io.gatehouse.cli.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A real TLS socket on the loopback interface. It completes (or fails) the handshake, records the
 * request head the client sent, and answers every request with one fixed HTTP response. It tests
 * what the client puts on the wire and how it reads an answer; it is not a Gatehouse.
 */
public final class LocalTlsServer implements AutoCloseable {
  private final ServerSocket socket;
  private final ExecutorService acceptor = Executors.newSingleThreadExecutor();
  private final List<String> requestHeads = Collections.synchronizedList(new ArrayList<>());
  private final List<Throwable> handshakeFailures = Collections.synchronizedList(new ArrayList<>());
  private final String response;

  /**
   * @param status the status of every answer
   * @param contentType its Content-Type
   * @param body its body
   */
  public LocalTlsServer(SSLContext context, int status, String contentType, String body) throws IOException {
    this.socket = context.getServerSocketFactory().createServerSocket(0, 8, InetAddress.getLoopbackAddress());
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    this.response = "HTTP/1.1 " + status + " Test\r\nContent-Type: " + contentType + "\r\nContent-Length: "
        + bytes.length + "\r\nConnection: close\r\n\r\n" + body;
    acceptor.execute(this::serve);
  }

  public String url() {
    return "https://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + socket.getLocalPort();
  }

  public List<String> requestHeads() {
    return List.copyOf(requestHeads);
  }

  public List<Throwable> handshakeFailures() {
    return List.copyOf(handshakeFailures);
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket client = socket.accept()) {
        try {
          ((SSLSocket) client).startHandshake();
        } catch (IOException e) {
          handshakeFailures.add(e);
          continue;
        }
        requestHeads.add(readHead(client.getInputStream()));
        OutputStream out = client.getOutputStream();
        out.write(response.getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        // The socket was closed, or the client went away mid-request: accept the next one.
      }
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    int b;
    while (matched < 4 && (b = in.read()) >= 0) {
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int length = contentLength(text);
    in.readNBytes(length);
    return text;
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return 0;
  }

  @Override
  public void close() throws IOException {
    socket.close();
    acceptor.shutdownNow();
  }
}
