package io.gatehouse.server.http;

import io.gatehouse.core.error.InvalidInputException;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One complete HTTP request, decoded from the wire and already within the size limits.
 *
 * @param path the decoded path without the query string
 * @param pathParameters filled in by the {@link Router} from {@code {name}} segments (percent-decoded)
 * @param query decoded query parameters
 * @param clientCertificates the TLS client certificate chain, leaf first, as the client presented it
 *     in the handshake; empty when it presented none. The TLS layer accepts any well-formed chain:
 *     nothing here is verified, the application checks it against the registry.
 */
public record ApiRequest(String method, String path, Map<String, String> pathParameters,
    Map<String, List<String>> query, HttpHeaders headers, byte[] body, InetSocketAddress remoteAddress,
    List<X509Certificate> clientCertificates) {

  public ApiRequest {
    pathParameters = Map.copyOf(pathParameters);
    query = Map.copyOf(query);
    clientCertificates = clientCertificates == null ? List.of() : List.copyOf(clientCertificates);
  }

  public ApiRequest withPathParameters(Map<String, String> parameters) {
    return new ApiRequest(method, path, parameters, query, headers, body, remoteAddress, clientCertificates);
  }

  public String pathParameter(String name) {
    String value = pathParameters.get(name);
    if (value == null) {
      throw new IllegalStateException("route has no parameter " + name);
    }
    return value;
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
  }

  /** A query parameter given at most once; repeating it is an error, not a silent pick. */
  public Optional<String> queryParameter(String name) {
    List<String> values = query.get(name);
    if (values == null || values.isEmpty()) {
      return Optional.empty();
    }
    if (values.size() > 1) {
      throw new InvalidInputException("query parameter '" + name + "' is given " + values.size() + " times");
    }
    return Optional.of(values.get(0));
  }

  public int intQueryParameter(String name, int defaultValue) {
    Optional<String> raw = queryParameter(name);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(raw.get());
    } catch (NumberFormatException e) {
      throw new InvalidInputException("query parameter '" + name + "' must be a whole number");
    }
  }

  public String source() {
    return remoteAddress == null ? "" : remoteAddress.getAddress().getHostAddress() + ":" + remoteAddress.getPort();
  }
}
