package io.gatehouse.bench.target;

import io.gatehouse.bench.client.ClientFactory;
import io.gatehouse.bench.client.CountingTrustManagerFactory;
import io.gatehouse.bench.client.DeviceClient;
import io.gatehouse.bench.client.DeviceLogin;
import io.gatehouse.bench.client.MqttVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Mosquitto as the reference: TLS 1.3 on 127.0.0.1, no anonymous access, one user and
 * password per device (hashed by {@code mosquitto_passwd -U}, PBKDF2-SHA512 in 2.0), an ACL
 * limiting each device to its own topics (as Gatehouse does), persistence on. A second listener
 * without TLS, same users and ACL, is the plain-MQTT reference for the edge scenario's leaves.
 */
public final class MosquittoTarget implements Target {
  public static final String SERVICE_USER = "bench-service";
  private static final Path DEFAULT_BINARY = Path.of("/usr/sbin/mosquitto");
  private static final int AUTOSAVE_SECONDS = 30;

  private final Path dir;
  private final Path binary;
  private final SecureRandom random = new SecureRandom();
  private final List<String> passwords = new ArrayList<>();
  private String servicePassword;
  private int passwordFileUsers = -1;
  private Pki pki;
  private Process process;
  private int port;
  private int plainPort;

  public MosquittoTarget(Path dir) {
    this.dir = dir;
    String override = System.getenv("BENCH_MOSQUITTO");
    this.binary = override != null && !override.isBlank() ? Path.of(override) : DEFAULT_BINARY;
  }

  /** True when the broker binary and mosquitto_passwd are installed. */
  public static boolean installed() {
    return Files.isExecutable(DEFAULT_BINARY) && passwdTool() != null;
  }

  @Override
  public String name() {
    return "mosquitto";
  }

  @Override
  public String describe() {
    return version() + ", TLS 1.3 (OpenSSL), password_file (PBKDF2-SHA512) + acl_file per device, "
        + "persistence true, autosave_interval " + AUTOSAVE_SECONDS + " s; plus a plain-MQTT listener (edge "
        + "scenario)";
  }

  private String version() {
    try {
      Process p = new ProcessBuilder(binary.toString(), "-h").redirectErrorStream(true).start();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String first = r.readLine();
        p.waitFor(5, TimeUnit.SECONDS);
        return first == null ? "mosquitto (version unknown)" : first.trim();
      }
    } catch (IOException | InterruptedException e) {
      return "mosquitto (version unknown)";
    }
  }

  @Override
  public void start(int devices, StartOptions options) throws Exception {
    if (!Files.isExecutable(binary)) {
      throw new TargetUnavailableException(binary + " is not installed (apt-get install mosquitto)");
    }
    Path passwd = passwdTool();
    if (passwd == null) {
      throw new TargetUnavailableException("mosquitto_passwd is not installed (apt-get install mosquitto)");
    }
    Files.createDirectories(dir);
    if (pki == null) {
      pki = Pki.create(dir.resolve("pki"));
    }
    if (passwordFileUsers < devices) {
      writeUsers(passwd, devices);
    }
    Files.deleteIfExists(dir.resolve("mosquitto.db"));
    port = freePort();
    plainPort = freePort();
    Path conf = dir.resolve("mosquitto.conf");
    Files.writeString(conf, config());
    process = new ProcessBuilder(binary.toString(), "-c", conf.toString()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.out").toFile())).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!listening()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        stop();
        throw new TargetUnavailableException("mosquitto did not start; see " + dir.resolve("mosquitto.log") + " and "
            + dir.resolve("mosquitto.out") + ": " + tail(dir.resolve("mosquitto.out")));
      }
      Thread.sleep(20);
    }
  }

  private String config() {
    String user = System.getProperty("user.name");
    return """
        # gatehouse-bench reference broker (written by the bench; loopback only)
        user %s
        per_listener_settings false
        listener %d 127.0.0.1
        certfile %s
        keyfile %s
        tls_version tlsv1.3
        # plain MQTT: the edge scenario's reference (leaves on a LAN use no TLS)
        listener %d 127.0.0.1
        allow_anonymous false
        password_file %s
        acl_file %s
        persistence true
        persistence_location %s/
        persistence_file mosquitto.db
        autosave_interval %d
        set_tcp_nodelay true
        max_keepalive 65535
        log_dest file %s
        log_type error
        log_type warning
        connection_messages false
        """.formatted(user, port, pki.certPem(), pki.keyPem(), plainPort, dir.resolve("passwd"), dir.resolve("acl"),
        dir, AUTOSAVE_SECONDS, dir.resolve("mosquitto.log"));
  }

  /** Plain "user:password" lines, hashed in one pass by {@code mosquitto_passwd -U}. */
  private void writeUsers(Path passwdTool, int devices)
      throws IOException, InterruptedException, TargetUnavailableException {
    while (passwords.size() < devices) {
      passwords.add(newPassword());
    }
    if (servicePassword == null) {
      servicePassword = newPassword();
    }
    Path file = dir.resolve("passwd");
    try (Writer w = Files.newBufferedWriter(file)) {
      w.write(SERVICE_USER + ":" + servicePassword + "\n");
      for (int i = 0; i < passwords.size(); i++) {
        w.write(deviceId(i) + ":" + passwords.get(i) + "\n");
      }
    }
    Process p = new ProcessBuilder(passwdTool.toString(), "-U", file.toString()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto_passwd.out").toFile())).start();
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new TargetUnavailableException("mosquitto_passwd -U failed: " + tail(dir.resolve("mosquitto_passwd.out")));
    }
    // Each device may write its telemetry topic and read its inbox topic; the service user may write
    // to every inbox. The same topic rules Gatehouse enforces, so both pay for an authorization check.
    Files.writeString(dir.resolve("acl"), """
        pattern write devices/%u/messages/events/#
        pattern read devices/%u/messages/devicebound/#

        user bench-service
        topic write devices/+/messages/devicebound/#
        """);
    passwordFileUsers = passwords.size();
  }

  private String newPassword() {
    byte[] bytes = new byte[18];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String deviceId(int index) {
    return "bench-%05d".formatted(index);
  }

  private boolean listening() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void stop() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  @Override
  public long pid() {
    return process == null ? -1 : process.pid();
  }

  @Override
  public ClientFactory clients(ClientFactory.Shared shared, MqttVersion version, int keepAliveSeconds)
      throws Exception {
    return new ClientFactory(shared, "localhost", port, new CountingTrustManagerFactory(pki.caPem()), version,
        keepAliveSeconds);
  }

  /** The listener without TLS on 127.0.0.1 (same users, passwords and ACL as the TLS one). */
  public int plainPort() {
    return plainPort;
  }

  @Override
  public DeviceLogin device(int index) {
    String id = deviceId(index);
    return new DeviceLogin(id, id, id, passwords.get(index).getBytes(StandardCharsets.UTF_8),
        "devices/" + id + "/messages/events/", "devices/" + id + "/messages/devicebound/#",
        "devices/" + id + "/messages/devicebound/");
  }

  @Override
  public InboxSender inboxSender(ClientFactory clients) throws Exception {
    DeviceClient service = clients.create(new DeviceLogin(SERVICE_USER, SERVICE_USER, SERVICE_USER,
        servicePassword.getBytes(StandardCharsets.UTF_8), null, null, null), new byte[0]);
    service.connect().get(30, TimeUnit.SECONDS);
    return new InboxSender() {
      @Override
      public String label() {
        return "MQTT publish (QoS 1) → subscriber delivery; Mosquitto has no inbox";
      }

      @Override
      public CompletableFuture<Void> send(DeviceLogin device, String text) {
        return service.publish(device.inboxTopic(), text.getBytes(StandardCharsets.UTF_8));
      }

      @Override
      public void close() {
        service.disconnect().orTimeout(5, TimeUnit.SECONDS).exceptionally(t -> null).join();
      }
    };
  }

  @Override
  public Map<String, Long> memoryDetails() {
    return Map.of();
  }

  @Override
  public List<String> notes() {
    return List.of("mosquitto: PUBACK is sent once the message is in memory; persistence writes the whole store "
        + "every " + AUTOSAVE_SECONDS + " s and on exit, with no fsync per message (not durable per PUBACK as "
        + "Gatehouse's is)");
  }

  @Override
  public void close() {
    stop();
  }

  private static Path passwdTool() {
    for (String candidate : new String[] {"/usr/bin/mosquitto_passwd", "/usr/sbin/mosquitto_passwd"}) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    return null;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static String tail(Path file) {
    try {
      if (!Files.exists(file)) {
        return "(no output)";
      }
      List<String> lines = Files.readAllLines(file);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(unreadable)";
    }
  }
}
