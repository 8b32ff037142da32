package io.gatehouse.edge.runtime;

import io.gatehouse.edge.alarm.AlarmRule;
import io.gatehouse.edge.buffer.BufferLimits;
import io.gatehouse.edge.local.LeafCredentials;
import io.gatehouse.edge.local.coap.CoapConfig;
import io.gatehouse.edge.local.modbus.ModbusConfig;
import io.gatehouse.edge.local.mqtt.LocalMqttConfig;
import io.gatehouse.edge.pipeline.StageSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code gatehouse edge --config edge.yaml} runs with, read by {@link EdgeConfigFile}.
 *
 * @param dataDirectory where the store-and-forward buffers live (created if missing)
 * @param leafSecrets each leaf's local secret: its MQTT password, and its DTLS pre-shared key on CoAP
 * @param mqtt the local MQTT endpoint, if enabled
 * @param coap the CoAP endpoint (DTLS-PSK with the leaves' secrets as keys), if enabled
 * @param modbus the Modbus TCP devices to poll, if enabled
 * @param pseudonymKeyFile secret for the privacy stage's pseudonyms, if one asks for them
 * @param postureInterval how often the edge reports its posture upstream
 * @param refusalReportPeriod how often refused leaves are reported upstream (one event per period at most)
 */
public record EdgeConfig(String edgeId, Path dataDirectory, UplinkConfig uplink, Map<String, String> leafSecrets,
    Optional<LocalMqttConfig> mqtt, Optional<CoapConfig> coap, Optional<ModbusConfig> modbus, List<StageSpec> pipeline,
    List<AlarmRule> alarms, BufferLimits buffer, Optional<Path> pseudonymKeyFile, Duration postureInterval,
    Duration refusalReportPeriod) {

  public EdgeConfig {
    Objects.requireNonNull(edgeId, "edgeId");
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    Objects.requireNonNull(uplink, "uplink");
    leafSecrets = Map.copyOf(leafSecrets);
    leafSecrets.keySet().forEach(LeafCredentials::checkLeafId);
    Objects.requireNonNull(mqtt, "mqtt");
    Objects.requireNonNull(coap, "coap");
    Objects.requireNonNull(modbus, "modbus");
    pipeline = List.copyOf(pipeline);
    alarms = List.copyOf(alarms);
    Objects.requireNonNull(buffer, "buffer");
    Objects.requireNonNull(pseudonymKeyFile, "pseudonymKeyFile");
    if (postureInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("posture.interval must be at least 1s, got " + postureInterval);
    }
    if (refusalReportPeriod.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("posture.refusalReports must be at least 1s, got " + refusalReportPeriod);
    }
    if (mqtt.isEmpty() && coap.isEmpty() && modbus.isEmpty()) {
      throw new IllegalArgumentException("no local endpoint is enabled; configure at least one of mqtt, coap, modbus");
    }
  }

  /** Names the leaves but never prints their secrets (a record's own toString would). */
  @Override
  public String toString() {
    return "EdgeConfig[edgeId=" + edgeId + ", dataDirectory=" + dataDirectory + ", uplink=" + uplink + ", leaves="
        + leafSecrets.keySet() + ", mqtt=" + mqtt.isPresent() + ", coap=" + coap.isPresent() + ", modbus="
        + modbus.isPresent() + ", stages=" + pipeline.size() + ", alarms=" + alarms.size() + "]";
  }

  /**
   * The service gateway and the edge's credential.
   *
   * @param hostName the gateway's name in SAS tokens and MQTT user names (its {@code --hostname});
   *     defaults to {@code host}
   * @param caCertificate PEM of the CA that signed the gateway's certificate; null for the JVM's trust store
   * @param maxBackoff the cap of the reconnect delay (exponential with full jitter from 200 ms)
   */
  public record UplinkConfig(String host, int port, String hostName, Path caCertificate, Credential credential,
      Duration keepAlive, Duration maxBackoff, int window) {
    public UplinkConfig {
      Objects.requireNonNull(host, "uplink.host");
      Objects.requireNonNull(hostName, "uplink.hostName");
      Objects.requireNonNull(credential, "uplink credential");
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("uplink.port must be 1 to 65535, got " + port);
      }
      if (maxBackoff.compareTo(Duration.ofSeconds(1)) < 0 || maxBackoff.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("uplink.maxBackoff must be 1s to 1h, got " + maxBackoff);
      }
      if (window < 1 || window > 65_535) {
        throw new IllegalArgumentException("uplink.window must be 1 to 65535, got " + window);
      }
    }
  }

  /**
   * How the edge proves its identity upstream. The file kinds keep the secret in a file readable by
   * its owner only: an explicitly insecure development store (the key sits on disk) that the posture
   * report names as such; {@link Tpm}, a key that never leaves the TPM, is the production choice.
   */
  public sealed interface Credential {
    private static void requireTokenLifetime(Duration tokenLifetime) {
      if (tokenLifetime.compareTo(Duration.ofMinutes(1)) < 0 || tokenLifetime.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("uplink.tokenLifetime must be 1m to 24h, got " + tokenLifetime);
      }
    }

    /** The edge's symmetric key, base64 in a file; SAS tokens of {@code tokenLifetime} are signed with it. */
    record SasKeyFile(Path keyFile, Duration tokenLifetime) implements Credential {
      public SasKeyFile {
        Objects.requireNonNull(keyFile, "uplink.sasKeyFile");
        requireTokenLifetime(tokenLifetime);
      }
    }

    /**
     * A TPM that holds the edge's identity key (imported by TPM provisioning); SAS tokens of
     * {@code tokenLifetime} are signed inside it. {@code address}: {@code swtpm://host:port} or {@code /dev/tpmrm0}.
     */
    record Tpm(String address, Duration tokenLifetime) implements Credential {
      public Tpm {
        Objects.requireNonNull(address, "uplink.tpm");
        requireTokenLifetime(tokenLifetime);
      }
    }

    /** An X.509 client certificate (chain, PEM) and its private key (PEM), presented in the TLS handshake. */
    record CertificateFiles(Path certificate, Path privateKey) implements Credential {
      public CertificateFiles {
        Objects.requireNonNull(certificate, "uplink.certificate");
        Objects.requireNonNull(privateKey, "uplink.privateKey");
      }
    }
  }
}
