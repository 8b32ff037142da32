package io.gatehouse.server.telemetry;

import io.gatehouse.core.authz.Authorizer;
import io.gatehouse.core.authz.Permission;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityIds;
import io.gatehouse.core.identity.ServiceIdentity;
import io.gatehouse.core.message.TelemetryMessage;
import io.gatehouse.server.auth.Caller;
import io.gatehouse.server.auth.Guard;
import io.gatehouse.store.DeviceStore;
import io.gatehouse.store.TelemetryLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The telemetry log as service callers read it (needs {@code telemetry.read}): pages from a sequence
 * or a time, and consumer-group positions. A grant scoped to devices or tags sees only the
 * messages of the devices it covers, judged by the registry as it is now (a device whose tags
 * change moves in or out of view); messages of devices no longer registered are seen only with an
 * unscoped grant. Blocks on the store: call from virtual threads.
 */
public final class TelemetryReader {
  public static final int MAX_LIMIT = 1000;
  /** Messages one page examines at most while filtering, so a rare device cannot make a call scan the whole log. */
  public static final int MAX_SCAN = 10_000;
  private static final int SCAN_BATCH = 500;
  /** Consumer groups are stored as {@code identity/name}, and the store keeps names of at most this length. */
  private static final int MAX_GROUP_KEY = 128;

  private final TelemetryLog log;
  private final DeviceStore devices;
  private final Guard guard;
  private final Authorizer authorizer;

  public TelemetryReader(TelemetryLog log, DeviceStore devices, Guard guard, Authorizer authorizer) {
    this.log = log;
    this.devices = devices;
    this.guard = guard;
    this.authorizer = authorizer;
  }

  /**
   * Who reads, and which devices' messages they see. Checks the permission (a refusal is audited and
   * is a 403): {@code telemetry.read} at all, and for a {@code device} filter, a grant covering that
   * device (for a device that is not registered, an unscoped grant).
   *
   * @param device only this device's messages; {@code null} for every device the caller may see
   */
  public Scope scope(Caller caller, String device) {
    guard.require(caller, Permission.TELEMETRY_READ, "telemetry.read", "telemetry");
    if (device != null) {
      IdentityIds.requireValid("device", device);
      Optional<Device> registered = devices.find(device);
      if (registered.isPresent()) {
        guard.require(caller, Permission.TELEMETRY_READ, registered.get(), "telemetry.read");
      } else {
        guard.requireUnscoped(caller, Permission.TELEMETRY_READ, "telemetry.read", "device:" + device);
      }
      return new Scope(caller.identity(), device, true);
    }
    boolean all = authorizer.checkUnscoped(caller.identity(), Permission.TELEMETRY_READ).allowed();
    return new Scope(caller.identity(), null, all);
  }

  /**
   * Up to {@code limit} messages the scope sees, from sequence {@code from} on. Examines at most
   * {@link #MAX_SCAN} messages, so a filtered page may come back short although more follow: then
   * {@link Page#more()} says so, and {@link Page#next()} is where to go on.
   */
  public Page read(Scope scope, long from, int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidInputException("limit must be 1 to " + MAX_LIMIT);
    }
    List<TelemetryMessage> items = new ArrayList<>();
    long position = from;
    int scanned = 0;
    boolean end = false;
    while (items.size() < limit && scanned < MAX_SCAN) {
      int want = scope.filters() ? Math.min(SCAN_BATCH, MAX_SCAN - scanned) : limit - items.size();
      List<TelemetryMessage> batch = log.read(position, want);
      for (TelemetryMessage message : batch) {
        scanned++;
        position = message.sequence() + 1;
        if (scope.sees(message.deviceId())) {
          items.add(message);
          if (items.size() == limit) {
            break;
          }
        }
      }
      if (batch.size() < want) {
        end = items.size() < limit; // the log ended before the page filled (a full page always says more)
        break;
      }
    }
    return new Page(items, position, !end);
  }

  /** The first sequence enqueued at or after {@code time} (the next to be written if none). */
  public long sequenceAt(Instant time) {
    return log.firstSequenceAt(time);
  }

  /** The sequence the next message will get: where a reader of new messages only starts. */
  public long end() {
    return log.nextSequence();
  }

  /**
   * A consumer group's committed position (the next sequence it wants). Groups belong to the
   * service identity that commits them: two identities using one name have separate positions.
   */
  public Optional<Long> committed(Caller caller, String group) {
    guard.require(caller, Permission.TELEMETRY_READ, "telemetry.group.read", "group:" + group);
    return log.committedOffset(groupKey(caller, group));
  }

  public void commit(Caller caller, String group, long next) {
    guard.require(caller, Permission.TELEMETRY_READ, "telemetry.group.commit", "group:" + group);
    if (next < 1) {
      throw new InvalidInputException("next must be a sequence number, 1 or more");
    }
    log.commitOffset(groupKey(caller, group), next);
  }

  private static String groupKey(Caller caller, String group) {
    IdentityIds.requireValid("consumer group name", group);
    String key = caller.identity().name() + "/" + group;
    if (key.length() > MAX_GROUP_KEY) {
      throw new InvalidInputException("consumer group name is too long: with the service identity's name it may have"
          + " at most " + (MAX_GROUP_KEY - 1 - caller.identity().name().length()) + " characters");
    }
    return key;
  }

  /**
   * A page of messages, where the next page starts, and whether more may follow: {@code false} once
   * the read reached the end of the log (a later read from {@code next} sees only newer messages).
   */
  public record Page(List<TelemetryMessage> items, long next, boolean more) {}

  /**
   * Which messages one reader sees. Device look-ups are cached for the life of the scope: make one
   * per request (streams make a new one each time they check the caller again). Not thread-safe.
   */
  public final class Scope {
    private static final int MAX_CACHED = 10_000;
    private final ServiceIdentity identity;
    private final String device;
    private final boolean all;
    private final Map<String, Boolean> covered = new HashMap<>();

    private Scope(ServiceIdentity identity, String device, boolean all) {
      this.identity = identity;
      this.device = device;
      this.all = all;
    }

    /** Whether this scope leaves some messages out (a device filter, or a scoped grant). */
    public boolean filters() {
      return device != null || !all;
    }

    public boolean sees(String deviceId) {
      if (device != null) {
        return device.equals(deviceId);
      }
      if (all) {
        return true;
      }
      Boolean cached = covered.get(deviceId);
      if (cached == null) {
        if (covered.size() >= MAX_CACHED) {
          covered.clear();
        }
        cached = devices.find(deviceId)
            .map(d -> authorizer.check(identity, Permission.TELEMETRY_READ, d).allowed())
            .orElse(false);
        covered.put(deviceId, cached);
      }
      return cached;
    }
  }
}
