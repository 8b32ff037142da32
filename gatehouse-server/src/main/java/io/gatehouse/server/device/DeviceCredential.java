package io.gatehouse.server.device;

import java.security.cert.X509Certificate;
import java.util.List;

/** What a device presents to prove its identity, whatever the transport. */
public sealed interface DeviceCredential {
  /** The identity the device claims (MQTT ClientId, HTTPS path). */
  String deviceId();

  /** A SAS token ({@code SharedAccessSignature sr=…}) signed with one of the device's keys. */
  record Sas(String deviceId, String token) implements DeviceCredential {
    @Override
    public String toString() {
      return "Sas[" + deviceId + ", token redacted]";
    }
  }

  /** The TLS client certificate chain, leaf first. */
  record Certificate(String deviceId, List<X509Certificate> chain) implements DeviceCredential {
    public Certificate {
      chain = List.copyOf(chain);
    }
  }
}
