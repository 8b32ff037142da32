package io.gatehouse.edge.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.gatehouse.core.identity.IdentityIds;
import io.gatehouse.device.tpm.transport.TpmAddress;
import io.gatehouse.edge.alarm.AlarmRule;
import io.gatehouse.edge.alarm.AlarmRules;
import io.gatehouse.edge.buffer.BufferLimits;
import io.gatehouse.edge.local.BindAddresses;
import io.gatehouse.edge.local.coap.CoapConfig;
import io.gatehouse.edge.local.modbus.ModbusConfig;
import io.gatehouse.edge.local.mqtt.LocalMqttConfig;
import io.gatehouse.edge.pipeline.ConfigYaml;
import io.gatehouse.edge.pipeline.DurationText;
import io.gatehouse.edge.pipeline.PipelineSpecs;
import io.gatehouse.edge.pipeline.StageSpec;
import io.gatehouse.edge.uplink.UplinkSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code edge.yaml}. Strict: an unknown key anywhere is an error naming it, and so is every
 * missing or impossible value; relative paths are taken from the config file's folder. The file
 * holds the leaves' local secrets, so it must not be readable by group or others.
 *
 * <pre>{@code
 * edge:
 *   id: edge-1                      # the edge's identity in the service gateway (kind edge)
 *   dataDirectory: /var/lib/gatehouse-edge
 * uplink:
 *   host: gateway.example.com
 *   port: 8883
 *   caCertificate: gateway-ca.pem   # omit to use the JVM's trust store
 *   tpm: /dev/tpmrm0                # the edge's key in its TPM (swtpm://127.0.0.1:2321 for the simulator),
 *                                   # imported by TPM provisioning; or instead:
 *   # sasKeyFile: edge-1.key        # insecure development store: the key sits on disk; or instead:
 *   # certificate: edge-1.pem       # X.509 client certificate (chain) and its key, both PEM,
 *   # privateKey: edge-1-key.pem    # the key file mode 0600 (insecure development store, too)
 *   maxBackoff: 10s                 # cap of the reconnect delay
 * leaves:
 *   - {id: sensor-1, secret: "…"}   # MQTT password / CoAP pre-shared key of the leaf
 * mqtt:
 *   bind: ["192.168.1.10:1883"]
 * coap: {bind: ["192.168.1.10:5684"]}  # DTLS-PSK: identity = leaf id, key = its secret (16+ bytes)
 * modbus: {devices: […]}          # see ModbusConfig
 * pipeline: […]                     # see PipelineSpecs
 * alarms: […]                       # see AlarmRules
 * buffer: {maxBytes: 256MiB, maxAge: 7d}
 * posture: {interval: 5m, refusalReports: 10s}
 * }</pre>
 */
public final class EdgeConfigFile {
  /**
   * Publishes the uplink may have awaiting the gateway's PUBACK. One uplink carries a whole site, and
   * each round trip includes the gateway's group commit, so the window sets the forwarding rate; the
   * gateway grants edges up to 512 (devices get 64).
   */
  static final int DEFAULT_WINDOW = 512;
  private static final Set<String> SECTIONS = Set.of("edge", "uplink", "leaves", "mqtt", "coap", "modbus", "pipeline",
      "alarms", "buffer", "posture");

  record EdgeSection(String id, String dataDirectory, String pseudonymKeyFile) {}

  record UplinkSection(String host, Integer port, String hostName, String caCertificate, String sasKeyFile,
      String tpm, String tokenLifetime, String certificate, String privateKey, String keepAlive, String maxBackoff,
      Integer window) {}

  record LeafEntry(String id, String secret) {}

  record MqttSection(List<String> bind, Integer maxPacketBytes, String connectTimeout, String maxKeepAlive) {}

  record BufferSection(String maxBytes, String maxAge, String segmentBytes) {}

  record PostureSection(String interval, String refusalReports) {}

  private EdgeConfigFile() {}

  /** Reads and checks the file; every problem is an {@link IllegalArgumentException} saying where and what. */
  public static EdgeConfig load(Path file) {
    String yaml;
    try {
      refuseIfOthersMayRead(file);
      yaml = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the edge config " + file + ": " + e.getMessage(), e);
    }
    Path base = file.toAbsolutePath().getParent();
    try {
      return parse(yaml, base);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Parses config text; relative paths resolve against {@code base}. */
  public static EdgeConfig parse(String yaml, Path base) {
    JsonNode root;
    try {
      root = ConfigYaml.strictMapper().readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid YAML: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the edge config must be a mapping with the sections " + SECTIONS);
    }
    for (String key : (Iterable<String>) root::fieldNames) {
      if (!SECTIONS.contains(key)) {
        throw new IllegalArgumentException("unknown section '" + key + "'; expected some of: " + String.join(", ",
            SECTIONS.stream().sorted().toList()));
      }
    }
    Posture posture = posture(root.get("posture"));
    Map<String, String> leafSecrets = leaves(root.get("leaves"));
    EdgeSection edge = ConfigYaml.readObject(required(root, "edge"), "edge", EdgeSection.class);
    String edgeId = requireText(edge.id(), "edge.id");
    IdentityIds.requireValid("edge.id", edgeId);
    return new EdgeConfig(edgeId, base.resolve(requireText(edge.dataDirectory(), "edge.dataDirectory")),
        uplink(ConfigYaml.readObject(required(root, "uplink"), "uplink", UplinkSection.class), base),
        leafSecrets,
        Optional.ofNullable(root.get("mqtt")).map(node -> mqtt(ConfigYaml.readObject(node, "mqtt", MqttSection.class))),
        Optional.ofNullable(root.get("coap")).map(node -> CoapConfig.fromTree(node, psks(leafSecrets))),
        Optional.ofNullable(root.get("modbus")).map(ModbusConfig::fromTree),
        pipeline(root.get("pipeline")), alarms(root.get("alarms")),
        buffer(root.get("buffer")), Optional.ofNullable(edge.pseudonymKeyFile()).map(base::resolve),
        posture.interval, posture.refusalReports);
  }

  private static EdgeConfig.UplinkConfig uplink(UplinkSection s, Path base) {
    String host = requireText(s.host(), "uplink.host");
    return new EdgeConfig.UplinkConfig(host, s.port() == null ? 8883 : s.port(),
        s.hostName() == null ? host : s.hostName(),
        s.caCertificate() == null ? null : base.resolve(s.caCertificate()),
        credential(s, base),
        duration(s.keepAlive(), "uplink.keepAlive", Duration.ofSeconds(60)),
        duration(s.maxBackoff(), "uplink.maxBackoff", UplinkSettings.DEFAULT_MAX_BACKOFF),
        s.window() == null ? DEFAULT_WINDOW : s.window());
  }

  /** Exactly one credential: a TPM, a SAS key file, or a certificate with its private key. */
  private static EdgeConfig.Credential credential(UplinkSection s, Path base) {
    boolean tpm = s.tpm() != null;
    boolean sas = s.sasKeyFile() != null;
    boolean x509 = s.certificate() != null || s.privateKey() != null;
    if ((tpm ? 1 : 0) + (sas ? 1 : 0) + (x509 ? 1 : 0) > 1) {
      throw new IllegalArgumentException("uplink: give one credential: tpm, sasKeyFile, or certificate + privateKey; "
          + "this file gives " + String.join(" and ", given(tpm, sas, x509)));
    }
    if (!tpm && !sas && !x509) {
      throw new IllegalArgumentException("uplink: the edge needs a credential: tpm (the TPM that holds its key, e.g."
          + " /dev/tpmrm0 or swtpm://127.0.0.1:2321), sasKeyFile (a SAS key), or certificate + privateKey (an X.509"
          + " client certificate and its key, PEM files)");
    }
    Duration tokenLifetime = duration(s.tokenLifetime(), "uplink.tokenLifetime", Duration.ofHours(1));
    if (tpm) {
      String address = requireText(s.tpm(), "uplink.tpm");
      try {
        TpmAddress.parse(address);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("uplink.tpm: " + e.getMessage(), e);
      }
      return new EdgeConfig.Credential.Tpm(address, tokenLifetime);
    }
    if (sas) {
      return new EdgeConfig.Credential.SasKeyFile(base.resolve(requireText(s.sasKeyFile(), "uplink.sasKeyFile")),
          tokenLifetime);
    }
    if (s.tokenLifetime() != null) {
      throw new IllegalArgumentException("uplink.tokenLifetime applies to SAS tokens (tpm, sasKeyFile) only; a certificate"
          + " is valid until its own expiry");
    }
    if (s.certificate() == null || s.certificate().isBlank()) {
      throw new IllegalArgumentException("uplink.certificate is missing: uplink.privateKey needs the PEM file of the"
          + " certificate that goes with it");
    }
    if (s.privateKey() == null || s.privateKey().isBlank()) {
      throw new IllegalArgumentException("uplink.privateKey is missing: uplink.certificate needs the PEM file of its"
          + " private key (mode 0600)");
    }
    return new EdgeConfig.Credential.CertificateFiles(base.resolve(s.certificate()), base.resolve(s.privateKey()));
  }

  private static List<String> given(boolean tpm, boolean sas, boolean x509) {
    List<String> given = new ArrayList<>();
    if (tpm) {
      given.add("tpm");
    }
    if (sas) {
      given.add("sasKeyFile");
    }
    if (x509) {
      given.add("certificate/privateKey");
    }
    return given;
  }

  private static Map<String, String> leaves(JsonNode node) {
    Map<String, String> secrets = new LinkedHashMap<>();
    if (node == null) {
      return secrets;
    }
    for (LeafEntry leaf : ConfigYaml.readList(node, "leaves", LeafEntry.class)) {
      String id = requireText(leaf.id(), "leaves: every leaf needs an 'id'; leaves[].id");
      if (leaf.secret() == null || leaf.secret().length() < 8) {
        throw new IllegalArgumentException("leaves: leaf '" + id + "' needs a 'secret' of at least 8 characters");
      }
      if (secrets.put(id, leaf.secret()) != null) {
        throw new IllegalArgumentException("leaves: leaf '" + id + "' is listed twice");
      }
    }
    return secrets;
  }

  /** The leaves' secrets as CoAP pre-shared keys (their UTF-8 bytes). */
  private static Map<String, byte[]> psks(Map<String, String> secrets) {
    Map<String, byte[]> psks = new LinkedHashMap<>();
    secrets.forEach((leaf, secret) -> psks.put(leaf, secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    return psks;
  }

  private static LocalMqttConfig mqtt(MqttSection s) {
    LocalMqttConfig config = LocalMqttConfig.defaults(BindAddresses.parse("mqtt.bind", s.bind(),
        LocalMqttConfig.DEFAULT_PORT));
    if (s.maxPacketBytes() != null) {
      config = config.withMaxPacketBytes(s.maxPacketBytes());
    }
    if (s.connectTimeout() != null) {
      config = config.withConnectTimeout(duration(s.connectTimeout(), "mqtt.connectTimeout", null));
    }
    return config;
  }

  private static List<StageSpec> pipeline(JsonNode node) {
    return node == null ? List.of() : PipelineSpecs.fromTree(node);
  }

  private static List<AlarmRule> alarms(JsonNode node) {
    return node == null ? List.of() : AlarmRules.fromTree(node);
  }

  private static BufferLimits buffer(JsonNode node) {
    BufferLimits defaults = BufferLimits.defaults();
    if (node == null) {
      return defaults;
    }
    BufferSection s = ConfigYaml.readObject(node, "buffer", BufferSection.class);
    return new BufferLimits(s.maxBytes() == null ? defaults.maxBytes() : ByteSize.parse("buffer.maxBytes", s.maxBytes()),
        duration(s.maxAge(), "buffer.maxAge", defaults.maxAge()),
        s.segmentBytes() == null ? defaults.segmentBytes() : ByteSize.parse("buffer.segmentBytes", s.segmentBytes()));
  }

  private record Posture(Duration interval, Duration refusalReports) {}

  private static Posture posture(JsonNode node) {
    PostureSection s = node == null ? new PostureSection(null, null)
        : ConfigYaml.readObject(node, "posture", PostureSection.class);
    return new Posture(duration(s.interval(), "posture.interval", Duration.ofMinutes(5)),
        duration(s.refusalReports(), "posture.refusalReports", Duration.ofSeconds(10)));
  }

  private static Duration duration(String text, String setting, Duration fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      return DurationText.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(setting + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode required(JsonNode root, String section) {
    JsonNode node = root.get(section);
    if (node == null) {
      throw new IllegalArgumentException("the section '" + section + ":' is missing");
    }
    return node;
  }

  private static String requireText(String value, String setting) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(setting + " is required");
    }
    return value;
  }

  private static void refuseIfOthersMayRead(Path file) throws IOException {
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
      throw new IllegalArgumentException("the edge config " + file + " holds the leaves' secrets but others may read it ("
          + permissions + "); chmod 600 it");
    }
  }
}
