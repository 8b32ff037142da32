package io.gatehouse.edge.local.modbus;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.identity.IdentityIds;
import io.gatehouse.edge.pipeline.DurationText;
import io.gatehouse.edge.pipeline.Reading;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One Modbus TCP device polled as one leaf, one item of the {@code devices:} list. Multi-word
 * properties are kebab-case, like the rest of the edge config.
 *
 * <pre>{@code
 * - leaf: boiler-1            # required: the leaf id its readings are sent as
 *   host: 192.168.1.50        # required: IP address or host name
 *   port: 502                 # default 502
 *   unit-id: 1                # 0 to 255, default 1 (gateways to serial buses use it to pick the slave)
 *   interval: 1s              # required: time between polls, at least 100ms
 *   timeout: 500ms            # per request (and for connecting); at most the interval; default 1s or the interval
 *   disconnect-after-failures: 3  # failed polls in a row before the leaf counts as disconnected; default 3
 *   registers: [...]          # 1 to 64 registers, see RegisterSpec
 * }</pre>
 */
public record DeviceSpec(String leaf, String host, Integer port, @JsonProperty("unit-id") Integer unitId,
    @JsonDeserialize(using = DurationText.Deserializer.class) Duration interval,
    @JsonDeserialize(using = DurationText.Deserializer.class) Duration timeout,
    @JsonProperty("disconnect-after-failures") Integer disconnectAfterFailures, List<RegisterSpec> registers) {
  public static final int DEFAULT_PORT = 502;
  public static final int DEFAULT_UNIT_ID = 1;
  public static final Duration MIN_INTERVAL = Duration.ofMillis(100);
  public static final Duration MAX_INTERVAL = Duration.ofDays(1);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
  public static final Duration MIN_TIMEOUT = Duration.ofMillis(10);
  public static final int DEFAULT_DISCONNECT_AFTER_FAILURES = 3;

  public DeviceSpec {
    leaf = leafId(leaf);
    if (host == null || host.isBlank() || !host.strip().equals(host)) {
      throw refused(leaf, "'host' is " + (host == null ? "missing" : "'" + host + "'")
          + "; give the device's IP address or host name, e.g. host: 192.168.1.50");
    }
    port = port == null ? DEFAULT_PORT : inRange(leaf, "port", port, 1, 65_535);
    unitId = unitId == null ? DEFAULT_UNIT_ID : inRange(leaf, "unit-id", unitId, 0, 255);
    checkInterval(leaf, interval);
    timeout = timeout == null ? min(DEFAULT_TIMEOUT, interval) : timeout;
    checkTimeout(leaf, timeout, interval);
    disconnectAfterFailures = disconnectAfterFailures == null ? DEFAULT_DISCONNECT_AFTER_FAILURES
        : inRange(leaf, "disconnect-after-failures", disconnectAfterFailures, 1, 100);
    registers = checkRegisters(leaf, registers);
  }

  /** The register read into {@code field}, if any. */
  public Optional<RegisterSpec> register(String field) {
    return registers.stream().filter(r -> r.field().equals(field)).findFirst();
  }

  /** Devices with writable registers take commands; the others never ask for them. */
  public boolean takesCommands() {
    return registers.stream().anyMatch(RegisterSpec::writable);
  }

  public List<String> writableFields() {
    return registers.stream().filter(RegisterSpec::writable).map(RegisterSpec::field).toList();
  }

  /** {@code 192.168.1.50:502 unit 1}, for logs and messages. */
  public String endpoint() {
    return host + ":" + port + " unit " + unitId;
  }

  private static String leafId(String leaf) {
    try {
      return IdentityIds.requireValid("device: 'leaf' (the leaf id)", leaf);
    } catch (InvalidInputException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  private static void checkInterval(String leaf, Duration interval) {
    if (interval == null) {
      throw refused(leaf, "'interval' is required; give the time between polls, e.g. interval: 1s");
    }
    if (interval.compareTo(MIN_INTERVAL) < 0) {
      throw refused(leaf, "'interval' " + DurationFormat.of(interval) + " is too short; poll at most every "
          + DurationFormat.of(MIN_INTERVAL) + " (legacy equipment rarely updates faster, and its bus is shared)");
    }
    if (interval.compareTo(MAX_INTERVAL) > 0) {
      throw refused(leaf, "'interval' " + DurationFormat.of(interval) + " is too long; poll at least once a day");
    }
  }

  private static void checkTimeout(String leaf, Duration timeout, Duration interval) {
    if (timeout.compareTo(MIN_TIMEOUT) < 0) {
      throw refused(leaf, "'timeout' " + DurationFormat.of(timeout) + " is too short; give at least "
          + DurationFormat.of(MIN_TIMEOUT));
    }
    if (timeout.compareTo(interval) > 0) {
      throw refused(leaf, "'timeout' " + DurationFormat.of(timeout) + " is longer than 'interval' "
          + DurationFormat.of(interval) + "; a device that stops answering would hold every poll past the next one, "
          + "so shorten the timeout or poll less often");
    }
  }

  private static List<RegisterSpec> checkRegisters(String leaf, List<RegisterSpec> registers) {
    if (registers == null || registers.isEmpty()) {
      throw refused(leaf, "'registers' is " + (registers == null ? "missing" : "empty")
          + "; list what to read, e.g. registers: [{field: temperature, kind: holding, address: 0, type: int16}]");
    }
    if (registers.size() > Reading.MAX_FIELDS) {
      throw refused(leaf, "'registers' lists " + registers.size() + " registers; a reading holds at most "
          + Reading.MAX_FIELDS + " fields, so split the device into several leaves");
    }
    Set<String> fields = new HashSet<>();
    for (RegisterSpec register : registers) {
      if (register == null) {
        throw refused(leaf, "'registers' has an empty item; remove it");
      }
      if (!fields.add(register.field())) {
        throw refused(leaf, "field '" + register.field() + "' is defined twice; give each register its own field name");
      }
    }
    checkOverlaps(leaf, registers);
    return List.copyOf(registers);
  }

  /** Overlapping registers are nearly always a float32 or int32 whose second word was forgotten. */
  private static void checkOverlaps(String leaf, List<RegisterSpec> registers) {
    List<RegisterSpec> sorted = new ArrayList<>(registers);
    sorted.sort(Comparator.comparing(RegisterSpec::kind).thenComparing(RegisterSpec::address));
    for (int i = 1; i < sorted.size(); i++) {
      RegisterSpec previous = sorted.get(i - 1);
      RegisterSpec next = sorted.get(i);
      if (previous.kind() == next.kind() && next.address() < previous.endAddress()) {
        throw refused(leaf, "registers '" + previous.field() + "' (" + previous.location() + ") and '" + next.field()
            + "' (" + next.location() + ") overlap; a 32-bit type occupies two consecutive addresses");
      }
    }
  }

  private static int inRange(String leaf, String property, int value, int min, int max) {
    if (value < min || value > max) {
      throw refused(leaf, "'" + property + "' is " + value + "; it must be between " + min + " and " + max);
    }
    return value;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static IllegalArgumentException refused(String leaf, String problem) {
    return new IllegalArgumentException("device '" + leaf + "': " + problem);
  }
}
