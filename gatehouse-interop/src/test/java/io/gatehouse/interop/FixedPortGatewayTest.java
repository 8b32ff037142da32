package io.gatehouse.interop;

import io.gatehouse.server.bootstrap.Gateway;
import io.gatehouse.server.bootstrap.GatewayConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real gateway where the Azure SDKs look for one: they hard-code their ports (MQTT 8883, HTTPS
 * 443) and want a host name with a dot, so it listens on 127.0.0.1:8883 and :443 with host name
 * 127.0.0.1, and the SDKs trust its development CA ({@link #trust}) as a real deployment's devices
 * would. One gateway per test class; the classes run one after another, since the ports are fixed.
 */
abstract class FixedPortGatewayTest {
  static final String HOST = "127.0.0.1";

  @TempDir static Path data;
  static Gateway gateway;
  static ServiceApi api;
  static SSLContext trust;

  @BeforeAll
  static void startGateway() throws Exception {
    gateway = Gateway.start(new GatewayConfig(data, HOST, HOST, 443, 8883, null, null, GatewayConfig.DEFAULT_MAX_BODY),
        Clock.systemUTC());
    api = new ServiceApi(URI.create("https://localhost:443"), data);
    trust = ServiceApi.trusting(data.resolve("ca.pem"));
  }

  @AfterAll
  static void stopGateway() {
    if (gateway != null) {
      gateway.close();
      gateway = null;
    }
  }
}
