package io.gatehouse.edge.local.modbus;

import io.gatehouse.edge.local.GuardedSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a device answers, as the edge sees it: {@code leafConnected} when it first answers a whole
 * poll (and again after an outage), {@code leafDisconnected} after {@code disconnect-after-failures}
 * failed polls in a row or when its connection ends; a device with writable registers asks for
 * commands exactly while it answers. Logs one line per change of state, not one per failed poll.
 * Not thread-safe: used on its device's event loop.
 */
final class DeviceLink {
  private static final Logger log = LoggerFactory.getLogger(DeviceLink.class);

  private enum State { NEVER_ANSWERED, ANSWERING, SILENT }

  private final DeviceSpec device;
  private final GuardedSink sink;
  private final ReconnectBackoff backoff;
  private final Runnable dropConnection;
  private State state = State.NEVER_ANSWERED;
  private int consecutiveFailures;
  private volatile boolean answering;

  /** @param dropConnection closes the device's connection, so the next attempt starts afresh */
  DeviceLink(DeviceSpec device, GuardedSink sink, Runnable dropConnection) {
    this.device = device;
    this.sink = sink;
    this.backoff = new ReconnectBackoff(device.interval());
    this.dropConnection = dropConnection;
  }

  /** Readable from any thread. */
  boolean isAnswering() {
    return answering;
  }

  /** Whether this poll tick should talk to the device: always while it answers, else as the backoff allows. */
  boolean attemptDue() {
    return state == State.ANSWERING || backoff.attemptDue();
  }

  void answered() {
    consecutiveFailures = 0;
    backoff.reset();
    if (state == State.ANSWERING) {
      return;
    }
    log.info("modbus device answering leaf={} device={}{}", device.leaf(), device.endpoint(),
        state == State.SILENT ? " (again)" : "");
    state = State.ANSWERING;
    answering = true;
    sink.leafConnected(device.leaf());
    if (device.takesCommands()) {
      sink.commandsWanted(device.leaf());
    }
  }

  void failed(String reason) {
    consecutiveFailures++;
    switch (state) {
      case ANSWERING -> {
        if (consecutiveFailures >= device.disconnectAfterFailures()) {
          goSilent(consecutiveFailures + " polls in a row failed, the last with: " + reason);
        } else {
          log.debug("modbus poll failed leaf={} device={} failuresInARow={} reason=\"{}\"", device.leaf(),
              device.endpoint(), consecutiveFailures, reason);
        }
      }
      case NEVER_ANSWERED -> {
        if (consecutiveFailures == 1) {
          log.warn("modbus device not answering leaf={} device={} reason=\"{}\"; retrying up to every {}",
              device.leaf(), device.endpoint(), reason, DurationFormat.of(device.interval().multipliedBy(backoff.maxIntervals())));
        }
        backoff.failed();
      }
      case SILENT -> {
        log.debug("modbus device still not answering leaf={} device={} reason=\"{}\"", device.leaf(),
            device.endpoint(), reason);
        backoff.failed();
      }
    }
  }

  void connectionLost() {
    if (state == State.ANSWERING) {
      goSilent("the connection was closed");
    }
  }

  /** The adapter closes: a device that answered is reported gone, as if its connection ended. */
  void close() {
    if (state == State.ANSWERING) {
      state = State.SILENT;
      answering = false;
      reportGone();
    }
  }

  private void goSilent(String reason) {
    log.warn("modbus device stopped answering leaf={} device={} reason=\"{}\"; retrying up to every {}",
        device.leaf(), device.endpoint(), reason, DurationFormat.of(device.interval().multipliedBy(backoff.maxIntervals())));
    state = State.SILENT;
    answering = false;
    reportGone();
    dropConnection.run();
    backoff.failed();
  }

  private void reportGone() {
    if (device.takesCommands()) {
      sink.commandsUnwanted(device.leaf());
    }
    sink.leafDisconnected(device.leaf());
  }
}
