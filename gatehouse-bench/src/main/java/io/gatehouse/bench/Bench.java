package io.gatehouse.bench;

import io.gatehouse.bench.client.ClientFactory;
import io.gatehouse.bench.client.MqttVersion;
import io.gatehouse.bench.scenario.ConnectStorm;
import io.gatehouse.bench.scenario.FieldGateway;
import io.gatehouse.bench.scenario.Fleet;
import io.gatehouse.bench.scenario.Idle;
import io.gatehouse.bench.scenario.Inbox;
import io.gatehouse.bench.scenario.Provisioning;
import io.gatehouse.bench.scenario.Scenario;
import io.gatehouse.bench.scenario.Telemetry;
import io.gatehouse.bench.target.GatehouseTarget;
import io.gatehouse.bench.target.MosquittoTarget;
import io.gatehouse.bench.target.Target;
import io.gatehouse.bench.target.TargetUnavailableException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Gatehouse load generator: runs the issue's scenarios against Gatehouse and against Debian's
 * Mosquitto (TLS + password auth) in one run, both as separate processes on 127.0.0.1, and prints
 * one table per scenario.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Load generator: Gatehouse beside Mosquitto, both on 127.0.0.1, each scenario on a freshly "
        + "started server.", "",
        "Scenarios: connect (storm of full TLS 1.3 handshakes + auth), telemetry (QoS 1 throughput and PUBACK "
            + "latency), idle (server memory per connection), inbox (service send → device receipt latency), edge "
            + "(leaves → gatehouse edge → gateway throughput, and draining the edge's buffer after the gateway "
            + "restarts; Mosquitto: the same leaves over plain MQTT), provisioning (DPS registrations per second through a "
            + "symmetric-key enrollment group; Gatehouse only)."},
    footer = {"", "Defaults follow the issue: connect 5,000 devices; telemetry 1,000 devices × 100 messages "
        + "saturated, then 30,000 msg/s for 10 s; idle 10,000 devices held 5 s; inbox 5,000 messages at 500/s to "
        + "100 devices; edge 100 leaves, window 8, for 10 s, then 100,000 messages buffered and drained. --quick: "
        + "200 connects; 50 devices × 200 messages, then 2,000 msg/s for 2 s; 500 idle held 1 s; 100 inbox messages "
        + "to 20 devices; edge 50 leaves for 3 s, then 10,000 buffered; provisioning 300 registrations. Provisioning's "
        + "default: 5,000 registrations, --in-flight at once (--devices sets the number)."})
public final class Bench implements Callable<Integer> {
  static final List<String> ALL_SCENARIOS = List.of("connect", "telemetry", "idle", "inbox", "edge", "provisioning");

  @Option(names = "--target", paramLabel = "gatehouse|mosquitto|both", defaultValue = "both",
      description = "Which server to measure (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(names = "--scenario", paramLabel = "connect|telemetry|idle|inbox|edge|provisioning|all", defaultValue = "all",
      split = ",", description = "Scenario(s), comma-separated (default: ${DEFAULT-VALUE}).")
  List<String> scenarios;

  @Option(names = "--quick", description = "Small numbers; each scenario finishes in well under a minute.")
  boolean quick;

  @Option(names = "--devices", paramLabel = "N", description = "Devices of every selected scenario (provisioning: "
      + "registrations).")
  Integer devices;

  @Option(names = "--messages", paramLabel = "N",
      description = "telemetry: messages per device in the saturated phase; inbox: messages in all; edge: messages "
          + "buffered while the gateway is down (default 100000).")
  Integer messages;

  @Option(names = "--rate", paramLabel = "R",
      description = "Messages per second: telemetry's paced phase (default 30000), inbox (default 500).")
  Integer rate;

  @Option(names = "--duration", paramLabel = "S",
      description = "Seconds: telemetry's paced phase (default 10), idle hold (default 5; --quick 1), edge "
          + "throughput phase (default 10; --quick 3).")
  Integer duration;

  @Option(names = "--window", paramLabel = "W",
      description = "Unacknowledged publishes per device: telemetry's saturated phase (default 1), edge leaves "
          + "(default 8; the edge takes at most 16).")
  Integer window;

  @Option(names = "--in-flight", paramLabel = "N",
      description = "Connection attempts in flight at once (default 100; --quick 50).")
  Integer inFlight;

  @Option(names = "--payload", paramLabel = "BYTES",
      description = "Payload size of telemetry and of the edge's leaf readings (default 256).")
  Integer payload;

  @Option(names = "--mqtt-version", paramLabel = "3|5", defaultValue = "3",
      description = "MQTT version of the devices (default 3 = 3.1.1, as Azure IoT device SDKs).")
  String mqttVersion;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
  Path json;

  @Option(names = "--gatehouse-home", paramLabel = "DIR",
      description = "Directory holding the ./gatehouse launcher (default: $GATEHOUSE_HOME, else the current "
          + "directory).")
  Path gatehouseHome;

  @Option(names = "--gatehouse-java-opts", paramLabel = "OPTS",
      description = "JVM options for the Gatehouse server (GATEHOUSE_JAVA_OPTS); default none.")
  String gatehouseJavaOpts;

  @Option(names = "--netty-threads", paramLabel = "N",
      description = "Event-loop threads shared by all simulated devices (default: cores).")
  Integer nettyThreads;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Where servers keep their files (default: a temporary directory, removed afterwards).")
  Path workDir;

  @Option(names = "--keep", description = "Keep the work directory (logs, configs, data) after the run.")
  boolean keep;

  private final PrintStream out;
  private final PrintStream log;
  private Report report;

  public Bench() {
    this(System.out, System.err);
  }

  Bench(PrintStream out, PrintStream log) {
    this.out = out;
    this.log = log;
  }

  public static void main(String[] args) {
    generatorDefaults();
    System.exit(new CommandLine(new Bench()).execute(args));
  }

  /**
   * Netty's leak detector samples buffer allocations with stack traces: useful in a server's tests,
   * pure overhead in a load generator. Set before Netty's classes load; an explicit -D wins.
   */
  static void generatorDefaults() {
    if (System.getProperty("io.netty.leakDetection.level") == null) {
      System.setProperty("io.netty.leakDetection.level", "disabled");
    }
  }

  /** The figures of the last run (for tests). */
  Report report() {
    return report;
  }

  Settings settings() {
    Settings d = quick ? Settings.quickRun() : Settings.defaultRun();
    return new Settings(
        or(devices, d.connectDevices()), or(inFlight, d.inFlight()),
        or(devices, d.telemetryDevices()), or(messages, d.telemetryMessages()), or(window, d.telemetryWindow()),
        or(rate, d.telemetryRate()), or(duration, d.telemetrySeconds()),
        or(devices, d.idleDevices()), or(duration, d.idleHoldSeconds()),
        or(devices, d.inboxDevices()), or(messages, d.inboxMessages()), or(rate, d.inboxRate()),
        or(devices, d.edgeLeaves()), or(window, d.edgeWindow()), or(duration, d.edgeSeconds()),
        or(messages, d.edgeBufferMessages()), or(devices, d.registrations()),
        or(payload, d.payloadBytes()), MqttVersion.parse(mqttVersion), d.keepAliveSeconds(), quick);
  }

  private static int or(Integer value, int fallback) {
    if (value != null && value <= 0) {
      throw new CommandLine.ParameterException(new CommandLine(new Bench()), "numbers must be positive: " + value);
    }
    return value == null ? fallback : value;
  }

  @Override
  public Integer call() throws Exception {
    Settings settings = settings();
    List<Scenario> selected = scenarios();
    int threads = nettyThreads != null ? nettyThreads : Runtime.getRuntime().availableProcessors();
    Machine machine = Machine.describe(threads);
    report = new Report(machine, settings.asMap());

    boolean temporary = workDir == null;
    Path dir = temporary ? Files.createTempDirectory("gatehouse-bench-") : Files.createDirectories(workDir);
    List<Target> targets = targets(dir);
    Thread cleanup = new Thread(() -> targets.forEach(Target::close), "bench-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    int maxDevices = 0;
    for (Scenario s : selected) {
      maxDevices = Math.max(maxDevices, settings.devicesFor(s.key()));
    }
    for (Target t : targets) {
      report.target(t.name(), t.describe());
    }
    report.printHeader(out);
    boolean errors = false;
    try (ClientFactory.Shared shared = new ClientFactory.Shared(threads)) {
      for (Scenario scenario : selected) {
        report.title(scenario.key(), scenario.title(settings));
        for (Target t : targets) {
          errors |= !runOne(scenario, t, shared, settings, maxDevices);
        }
        if (scenario.key().equals("telemetry")) {
          targets.forEach(t -> t.notes().forEach(n -> report.note(scenario.key(), n)));
        }
        report.printScenario(out, scenario.key());
      }
    } finally {
      targets.forEach(Target::close);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
      if (json != null) {
        report.writeJson(json);
        log.println("bench: figures written to " + json);
      }
      if (temporary && !keep) {
        deleteTree(dir);
      } else {
        log.println("bench: servers' files kept in " + dir);
      }
    }
    return errors ? 1 : 0;
  }

  private boolean runOne(Scenario scenario, Target t, ClientFactory.Shared shared, Settings settings, int maxDevices) {
    long started = System.nanoTime();
    log.printf("bench: %s on %s ...%n", scenario.key(), t.name());
    try {
      t.start(maxDevices, scenario.startOptions());
      ClientFactory clients = t.clients(shared, settings.mqttVersion(), settings.keepAliveSeconds());
      scenario.run(t, clients, settings, report);
      return true;
    } catch (TargetUnavailableException e) {
      report.text(scenario.key(), t.name(), "not measured", e.getMessage());
      log.println("bench: " + t.name() + " unavailable: " + e.getMessage());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      report.text(scenario.key(), t.name(), "error", "interrupted");
      return false;
    } catch (Exception e) {
      report.text(scenario.key(), t.name(), "error", Fleet.reason(e));
      log.println("bench: " + scenario.key() + " on " + t.name() + " failed:");
      e.printStackTrace(log);
      return false;
    } finally {
      t.stop();
      log.printf(Locale.ROOT, "bench: %s on %s done in %.1f s%n", scenario.key(), t.name(),
          (System.nanoTime() - started) / 1e9);
    }
  }

  private List<Scenario> scenarios() {
    Set<String> keys = new LinkedHashSet<>();
    for (String s : scenarios) {
      String key = s.trim().toLowerCase(Locale.ROOT);
      if (key.equals("all")) {
        keys.addAll(ALL_SCENARIOS);
      } else if (ALL_SCENARIOS.contains(key)) {
        keys.add(key);
      } else {
        throw new CommandLine.ParameterException(new CommandLine(this), "unknown scenario: " + s);
      }
    }
    List<Scenario> out = new ArrayList<>();
    for (String key : ALL_SCENARIOS) { // always in the issue's order
      if (keys.contains(key)) {
        out.add(switch (key) {
          case "connect" -> new ConnectStorm();
          case "telemetry" -> new Telemetry();
          case "idle" -> new Idle();
          case "inbox" -> new Inbox();
          case "provisioning" -> new Provisioning();
          default -> new FieldGateway();
        });
      }
    }
    return out;
  }

  private List<Target> targets(Path dir) {
    List<Target> out = new ArrayList<>();
    String which = target.trim().toLowerCase(Locale.ROOT);
    if (!Set.of("gatehouse", "mosquitto", "both").contains(which)) {
      throw new CommandLine.ParameterException(new CommandLine(this), "unknown target: " + target);
    }
    if (which.equals("gatehouse") || which.equals("both")) {
      out.add(new GatehouseTarget(gatehouseHome(), dir.resolve("gatehouse"), gatehouseJavaOpts));
    }
    if (which.equals("mosquitto") || which.equals("both")) {
      out.add(new MosquittoTarget(dir.resolve("mosquitto")));
    }
    return out;
  }

  private Path gatehouseHome() {
    if (gatehouseHome != null) {
      return gatehouseHome.toAbsolutePath();
    }
    String env = System.getenv("GATEHOUSE_HOME");
    return Path.of(env != null && !env.isBlank() ? env : ".").toAbsolutePath().normalize();
  }

  private static void deleteTree(Path root) {
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // best effort: it is a temporary directory
    }
  }
}
