package io.gatehouse.edge.local.modbus;

import com.digitalpetri.modbus.exceptions.ModbusResponseException;
import io.gatehouse.edge.local.LeafDeliveryException;
import io.gatehouse.edge.local.LeafDeliveryException.Reason;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Writes commands to one device: checks the whole command first, then writes its fields one request
 * at a time in the order given, and completes when the device acknowledged the last. Used on the
 * device's event loop.
 */
final class CommandWriter {
  /** Commands accepted but not yet acknowledged; more fail with QUEUE_FULL rather than pile up. */
  static final int MAX_PENDING_COMMANDS = 16;

  private final DeviceSpec device;
  private final RequestQueue requests;
  private final BooleanSupplier answering;
  private final Set<CompletableFuture<Void>> pending = new HashSet<>();
  private boolean closed;

  CommandWriter(DeviceSpec device, RequestQueue requests, BooleanSupplier answering) {
    this.device = device;
    this.requests = requests;
    this.answering = answering;
  }

  void deliver(byte[] payload, CompletableFuture<Void> result) {
    if (closed) {
      result.completeExceptionally(failure(Reason.ADAPTER_CLOSED, "the Modbus poller is closing"));
      return;
    }
    List<RegisterWrite> writes;
    try {
      writes = CommandParser.parse(device, payload);
    } catch (LeafDeliveryException refused) {
      result.completeExceptionally(refused);
      return;
    }
    if (!answering.getAsBoolean()) {
      result.completeExceptionally(failure(Reason.NOT_CONNECTED, "the device at " + device.endpoint()
          + " is not answering; retry once it answers (the leaf is reported connected then)"));
      return;
    }
    if (pending.size() >= MAX_PENDING_COMMANDS) {
      result.completeExceptionally(failure(Reason.QUEUE_FULL, MAX_PENDING_COMMANDS
          + " commands are already waiting for the device; retry later"));
      return;
    }
    pending.add(result);
    writeFrom(writes, 0, result);
  }

  /** Fails every command still waiting for the device. */
  void close() {
    closed = true;
    for (CompletableFuture<Void> command : List.copyOf(pending)) {
      command.completeExceptionally(failure(Reason.ADAPTER_CLOSED,
          "the Modbus poller closed before the device acknowledged; the write may or may not have been applied"));
    }
  }

  private void writeFrom(List<RegisterWrite> writes, int index, CompletableFuture<Void> result) {
    if (result.isDone() || index == writes.size()) {
      // Done, or cancelled by the caller: a cancelled command stops before its next field.
      result.complete(null);
      pending.remove(result);
      return;
    }
    RegisterWrite write = writes.get(index);
    requests.send(write.request()).whenComplete((response, error) -> {
      if (error == null) {
        writeFrom(writes, index + 1, result);
      } else {
        result.completeExceptionally(writeFailed(writes, index, ModbusFailures.unwrap(error)));
        pending.remove(result);
      }
    });
  }

  private LeafDeliveryException writeFailed(List<RegisterWrite> writes, int index, Throwable error) {
    RegisterWrite write = writes.get(index);
    String what = "writing '" + write.register().field() + "' (" + write.register().location() + ")";
    List<String> written = new ArrayList<>();
    writes.subList(0, index).forEach(w -> written.add(w.register().field()));
    String already = written.isEmpty() ? "" : "; already written: " + String.join(", ", written);
    return switch (error) {
      case ModbusResponseException refused -> failure(Reason.REFUSED_BY_LEAF, "the device answered " + what
          + " with exception " + ModbusFailures.exceptionName(refused) + already);
      case TimeoutException timedOut -> failure(Reason.NO_ACKNOWLEDGEMENT, "no answer to " + what + " within "
          + DurationFormat.of(device.timeout()) + "; the device may or may not have applied it" + already);
      default -> failure(Reason.CONNECTION_LOST, what + " failed: " + error.getMessage()
          + "; the device may or may not have applied it" + already);
    };
  }

  private LeafDeliveryException failure(Reason reason, String message) {
    return new LeafDeliveryException(device.leaf(), reason, message);
  }
}
