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
   * @param hostName the gateway's name in SAS tokens (its {@code --hostname}); defaults to {@code host}
   * @param caCertificate PEM of the CA that signed the gateway's certificate; null for the JVM's trust store
   * @param sasKeyFile the edge's symmetric key, base64 in a file readable by its owner only (an
   *     insecure development store: the key sits on disk; a TPM-held key replaces it in production)
   */
  public record UplinkConfig(String host, int port, String hostName, Path caCertificate, Path sasKeyFile,
      Duration tokenLifetime, Duration keepAlive, int window) {
    public UplinkConfig {
      Objects.requireNonNull(host, "uplink.host");
      Objects.requireNonNull(hostName, "uplink.hostName");
      Objects.requireNonNull(sasKeyFile, "uplink.sasKeyFile");
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("uplink.port must be 1 to 65535, got " + port);
      }
      if (tokenLifetime.compareTo(Duration.ofMinutes(1)) < 0 || tokenLifetime.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("uplink.tokenLifetime must be 1m to 24h, got " + tokenLifetime);
      }
      if (window < 1 || window > 65_535) {
        throw new IllegalArgumentException("uplink.window must be 1 to 65535, got " + window);
      }
    }
  }
}
