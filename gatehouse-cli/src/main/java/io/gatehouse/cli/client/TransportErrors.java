package io.gatehouse.cli.client;

import io.gatehouse.cli.CliException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import javax.net.ssl.SSLException;

/** Turns a failure to talk to the gateway into a message that says what to check. All exit 3. */
public final class TransportErrors {
  private TransportErrors() {}

  public static CliException map(Throwable failure, Connection connection, Duration connectTimeout,
      Duration requestTimeout) {
    String url = connection.baseUrl().toString();
    String origin = "URL from " + connection.urlSource();
    String cannotReach = "cannot reach Gatehouse at " + url + ": ";
    if (find(failure, CertPathBuilderException.class) != null || find(failure, CertPathValidatorException.class) != null) {
      return CliException.unreachable("the TLS certificate of " + url + " is not trusted by "
          + connection.trustDescription() + ": " + rootMessage(failure)
          + ". Pass --ca with the gateway's ca.pem (in the data directory of `gatehouse serve`).", failure);
    }
    CertificateException certificate = find(failure, CertificateException.class);
    if (certificate != null) {
      return CliException.unreachable("the TLS certificate of " + url + " was refused: "
          + rootMessage(certificate) + ". Use the host name the certificate was issued for in --url ("
          + origin + "), or pass --ca with the gateway's ca.pem.", failure);
    }
    if (find(failure, HttpConnectTimeoutException.class) != null) {
      return CliException.unreachable(cannotReach + "no connection within " + connectTimeout.toSeconds()
          + " s. Is the host and port right, and is a firewall in the way? (" + origin + ")", failure);
    }
    if (find(failure, HttpTimeoutException.class) != null) {
      return CliException.unreachable(cannotReach + "no answer within " + requestTimeout.toSeconds()
          + " s. Is the gateway overloaded? (" + origin + ")", failure);
    }
    if (find(failure, UnresolvedAddressException.class) != null || find(failure, UnknownHostException.class) != null) {
      return CliException.unreachable(cannotReach + "the host name '" + connection.baseUrl().getHost()
          + "' is unknown (DNS). Check --url (" + origin + ")", failure);
    }
    if (find(failure, NoRouteToHostException.class) != null) {
      return CliException.unreachable(cannotReach + "no route to host. Check --url and the network (" + origin + ")",
          failure);
    }
    if (find(failure, ConnectException.class) != null) {
      return CliException.unreachable(cannotReach + "connection refused. Is `gatehouse serve` running? ("
          + origin + ")", failure);
    }
    SSLException tls = find(failure, SSLException.class);
    if (tls != null) {
      return CliException.unreachable("the TLS handshake with " + url + " failed: " + rootMessage(tls)
          + ". Is this the Gatehouse service port? (" + origin + ")", failure);
    }
    if (failure instanceof InterruptedException) {
      return CliException.unreachable("interrupted while waiting for Gatehouse at " + url, failure);
    }
    return CliException.unreachable(cannotReach + describe(failure) + " (" + origin + ")", failure);
  }

  private static String describe(Throwable failure) {
    String message = rootMessage(failure);
    return message.equals(failure.getClass().getSimpleName()) && failure instanceof IOException
        ? "the connection failed" : message;
  }

  /** The deepest message in the cause chain, without a final period (callers add their own). */
  private static String rootMessage(Throwable failure) {
    Throwable cause = failure;
    String message = null;
    while (cause != null) {
      if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
        message = cause.getMessage();
      }
      cause = cause.getCause() == cause ? null : cause.getCause();
    }
    if (message == null) {
      return failure.getClass().getSimpleName();
    }
    message = message.strip();
    return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
