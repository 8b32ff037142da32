package io.gatehouse.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.cli.CliException;
import io.gatehouse.cli.ExitCodes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Failures that a local socket cannot produce on demand: timeouts, DNS, host name mismatch. */
class TransportErrorsTest {
  private static final Connection CONNECTION = new Connection(URI.create("https://gw.example:8443"), "--url",
      new ServiceCredential("gw.example", "ops", new byte[16], "--credential"), Optional.of(Path.of("/d/ca.pem")));

  private static CliException map(Throwable failure) {
    return TransportErrors.map(failure, CONNECTION, Duration.ofSeconds(10), Duration.ofSeconds(30));
  }

  @Test
  void timeoutsSayHowLongWasWaited() {
    assertThat(map(new HttpConnectTimeoutException("HTTP connect timed out")))
        .hasMessageStartingWith("cannot reach Gatehouse at https://gw.example:8443: no connection within 10 s");
    assertThat(map(new HttpTimeoutException("request timed out")))
        .hasMessageStartingWith("cannot reach Gatehouse at https://gw.example:8443: no answer within 30 s");
  }

  @Test
  void unknownHostsNameTheHost() {
    assertThat(map(new IOException("x", new UnresolvedAddressException())))
        .hasMessage("cannot reach Gatehouse at https://gw.example:8443: the host name 'gw.example' is unknown "
            + "(DNS). Check --url (URL from --url)");
  }

  @Test
  void aCertificateForAnotherHostIsExplained() {
    SSLHandshakeException failure = new SSLHandshakeException("No subject alternative DNS name matching gw.example found.");
    failure.initCause(new CertificateException("No subject alternative DNS name matching gw.example found."));

    CliException e = map(failure);

    assertThat(e.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(e).hasMessageContaining("the TLS certificate of https://gw.example:8443 was refused: No subject "
        + "alternative DNS name matching gw.example found. Use the host name the certificate was issued for in --url");
  }

  @Test
  void otherFailuresStillSayWhereAndWhy() {
    assertThat(map(new IOException("connection reset"))).hasMessage(
        "cannot reach Gatehouse at https://gw.example:8443: connection reset (URL from --url)");
    assertThat(map(new IOException())).hasMessage(
        "cannot reach Gatehouse at https://gw.example:8443: the connection failed (URL from --url)");
  }
}
