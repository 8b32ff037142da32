package io.gatehouse.edge.local.coap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * A real leaf: Californium's client stack over Scandium DTLS with one PSK, on 127.0.0.1, configured
 * in code (no properties file) and quick to give up a handshake.
 */
public final class LeafClient implements AutoCloseable {
  /** A request's fate, as the client saw it. */
  public static final class Exchange {
    final Request request;
    final CompletableFuture<Response> response = new CompletableFuture<>();
    final CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    final BlockingQueue<Response> notifications = new LinkedBlockingQueue<>();

    Exchange(Request request) {
      this.request = request;
    }

    public Response response() throws Exception {
      return response.get(10, TimeUnit.SECONDS);
    }

    Response nextNotification() throws InterruptedException {
      Response next = notifications.poll(10, TimeUnit.SECONDS);
      if (next == null) {
        throw new AssertionError("no notification within 10 s");
      }
      return next;
    }
  }

  private final CoapEndpoint endpoint;
  private final List<Exchange> observations = new CopyOnWriteArrayList<>();
  private final InetSocketAddress server;

  public LeafClient(String identity, byte[] key, InetSocketAddress server) {
    this(identity, key, server, CipherSuite.TLS_PSK_WITH_AES_128_CCM_8);
  }

  LeafClient(String identity, byte[] key, InetSocketAddress server, CipherSuite suite) {
    this.server = server;
    Configuration config = new Configuration(CoapConfig.DEFINITIONS, DtlsConfig.DEFINITIONS, UdpConfig.DEFINITIONS,
        SystemConfig.DEFINITIONS);
    config.set(DtlsConfig.DTLS_ROLE, DtlsRole.CLIENT_ONLY);
    config.setAsList(DtlsConfig.DTLS_CIPHER_SUITES, suite);
    config.set(DtlsConfig.DTLS_RETRANSMISSION_TIMEOUT, 200, TimeUnit.MILLISECONDS);
    config.set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 2);
    config.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
    config.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, 1);
    config.set(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, 1);
    config.set(CoapConfig.ACK_TIMEOUT, 500, TimeUnit.MILLISECONDS);
    config.set(CoapConfig.MAX_RETRANSMIT, 2);
    DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(config)
        .setAddress(new InetSocketAddress("127.0.0.1", 0))
        .setAdvancedPskStore(new AdvancedSinglePskStore(identity, key))
        .build();
    endpoint = new CoapEndpoint.Builder().setConfiguration(config).setConnector(new DTLSConnector(dtls)).build();
    // Californium hands notifications after the first response to notification listeners only, with
    // a copy of the request: match them by token.
    endpoint.addNotificationListener((request, response) -> observations.stream()
        .filter(o -> response.getToken().equals(o.request.getToken()))
        .forEach(o -> o.notifications.add(response)));
    try {
      endpoint.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Exchange post(String path, byte[] payload, int contentFormat) {
    Request request = Request.newPost();
    request.setPayload(payload);
    if (contentFormat >= 0) {
      request.getOptions().setContentFormat(contentFormat);
    }
    return send(request, path);
  }

  public Exchange post(String path, String payload, int contentFormat) {
    return post(path, payload.getBytes(StandardCharsets.UTF_8), contentFormat);
  }

  Exchange get(String path) {
    return send(Request.newGet(), path);
  }

  Exchange observe(String path) {
    Request request = Request.newGet();
    request.setObserve();
    Exchange exchange = new Exchange(request);
    observations.add(exchange);
    return send(exchange, path);
  }

  Exchange request(Code code, String path) {
    return send(new Request(code), path);
  }

  /** Ends the DTLS session the way a leaf does: close_notify. */
  void closeSession() {
    ((DTLSConnector) endpoint.getConnector()).close(server);
  }

  private Exchange send(Request request, String path) {
    return send(new Exchange(request), path);
  }

  private Exchange send(Exchange exchange, String path) {
    exchange.request.setURI("coaps://" + server.getAddress().getHostAddress() + ":" + server.getPort() + path);
    return send(exchange);
  }

  private Exchange send(Exchange exchange) {
    Request request = exchange.request;
    request.addMessageObserver(new MessageObserverAdapter() {
      @Override
      public void onResponse(Response response) {
        exchange.response.complete(response);
      }

      @Override
      public void onAcknowledgement() {
        exchange.acknowledged.complete(null);
      }

      @Override
      protected void failed() {
        exchange.response.completeExceptionally(new AssertionError("request failed: timed out, rejected or not sent"));
      }

      @Override
      public void onCancel() {
        exchange.response.completeExceptionally(new AssertionError("request cancelled"));
      }
    });
    endpoint.sendRequest(request);
    return exchange;
  }

  @Override
  public void close() {
    endpoint.destroy();
  }
}
