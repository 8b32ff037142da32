package io.gatehouse.edge.local.modbus;

import com.digitalpetri.modbus.TimeoutScheduler;
import com.digitalpetri.modbus.client.ModbusTcpClient;
import com.digitalpetri.modbus.exceptions.ModbusResponseException;
import io.gatehouse.edge.local.GuardedSink;
import io.gatehouse.edge.local.LeafDeliveryException.Reason;
import io.gatehouse.edge.local.LeafDeliveryException;
import io.gatehouse.edge.pipeline.Reading;
import io.netty.channel.EventLoop;
import java.nio.channels.ClosedChannelException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One polled device: its schedule, its connection, its poll cycle and its commands. Everything
 * happens on the device's event loop, so its state needs no locks; only the counters are read from
 * other threads.
 *
 * <p>A poll tick is passed over (and counted as skipped) while the sink has not taken the previous
 * reading or the previous poll still runs, so a slow sink or device never builds a queue.
 */
final class DeviceSession {
  private static final Logger log = LoggerFactory.getLogger(DeviceSession.class);
  /** Exception codes 1 and 2 (illegal function, illegal data address) mean the config does not match the device. */
  private static final int ILLEGAL_DATA_ADDRESS = 0x02;

  private final DeviceSpec device;
  private final EventLoop loop;
  /** Every reading is one JSON object. */
  private static final Map<String, String> JSON_CONTENT = Map.of("content-type", "application/json");

  private final GuardedSink sink;
  private final List<ReadBlock> plan;
  private final ModbusChannel channel;
  private final RequestQueue requests;
  private final DeviceLink link;
  private final CommandWriter commands;
  private final AtomicLong polls = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private ScheduledFuture<?> schedule;
  private CompletableFuture<Void> handedOver = CompletableFuture.completedFuture(null);
  private boolean pollRunning;
  private boolean skipping;
  private boolean handOverFailing;
  private boolean closed;

  /** @param resolver runs host name lookups away from the event loop */
  DeviceSession(DeviceSpec device, EventLoop loop, GuardedSink sink, Executor resolver) {
    this.device = device;
    this.loop = loop;
    this.sink = sink;
    this.plan = ReadPlan.of(device.registers());
    this.channel = new ModbusChannel(loop, device.host(), device.port(), device.timeout(), resolver,
        this::connectionLost);
    ModbusTcpClient client = ModbusTcpClient.create(channel, settings -> settings
        .setRequestTimeout(device.timeout())
        .setTimeoutScheduler(TimeoutScheduler.create(loop, loop)));
    this.requests = new RequestQueue(client, device.unitId(), channel::disconnect);
    this.link = new DeviceLink(device, sink, channel::disconnect);
    this.commands = new CommandWriter(device, requests, link::isAnswering);
  }

  String leafId() {
    return device.leaf();
  }

  /**
   * Ticks a fixed delay apart rather than at a fixed rate: a tick only starts an asynchronous poll, so
   * the drift is negligible, and a stalled loop (a GC pause) does not fire the missed ticks in a burst.
   */
  void start() {
    loop.execute(() -> schedule = loop.scheduleWithFixedDelay(this::tick, 0, device.interval().toMillis(),
        TimeUnit.MILLISECONDS));
  }

  /** Hands a command to the device's event loop; {@code result} completes as {@link CommandWriter} says. */
  void deliver(byte[] payload, CompletableFuture<Void> result) {
    try {
      loop.execute(() -> commands.deliver(payload, result));
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new LeafDeliveryException(device.leaf(), Reason.ADAPTER_CLOSED,
          "the Modbus poller is closing"));
    }
  }

  ModbusDeviceStats stats() {
    return new ModbusDeviceStats(device.leaf(), link.isAnswering(), polls.get(), failures.get(), skipped.get());
  }

  /** Stops polling, fails waiting commands, reports an answering device gone and closes the connection. */
  CompletableFuture<Void> close() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      loop.execute(() -> {
        closed = true;
        if (schedule != null) {
          schedule.cancel(false);
        }
        commands.close();
        link.close();
        channel.disconnect().whenComplete((ok, error) -> done.complete(null));
      });
    } catch (RejectedExecutionException e) {
      done.complete(null);
    }
    return done;
  }

  private void tick() {
    if (closed) {
      return;
    }
    if (pollRunning) {
      skip("the previous poll is still running (a slow or silent device)");
      return;
    }
    if (!handedOver.isDone()) {
      skip("the sink has not yet taken the previous reading");
      return;
    }
    if (skipping) {
      skipping = false;
      log.info("modbus polling resumed leaf={} skippedSoFar={}", device.leaf(), skipped.get());
    }
    if (!link.attemptDue()) {
      return;
    }
    polls.incrementAndGet();
    pollRunning = true;
    channel.connect()
        .thenCompose(connected -> readAll())
        .whenComplete(this::pollFinished);
  }

  /** Reads the blocks one after the other, stopping at the first failure. */
  private CompletableFuture<Map<String, Object>> readAll() {
    Map<String, Object> values = new HashMap<>();
    CompletableFuture<Void> reads = CompletableFuture.completedFuture(null);
    for (ReadBlock block : plan) {
      reads = reads
          .thenCompose(previous -> requests.send(block.request()).handle((response, error) -> {
            if (error != null) {
              Throwable cause = ModbusFailures.unwrap(error);
              throw new PollFailure("reading " + block.describe() + ": " + describe(cause), cause);
            }
            BlockDecoder.decodeInto(block, response, values);
            return null;
          }));
    }
    return reads.thenApply(done -> inConfigOrder(values));
  }

  private void pollFinished(Map<String, Object> fields, Throwable error) {
    pollRunning = false;
    if (closed) {
      return;
    }
    if (error != null) {
      failures.incrementAndGet();
      link.failed(describe(ModbusFailures.unwrap(error)));
      return;
    }
    link.answered();
    if (fields.isEmpty()) {
      return; // every register was a float32 holding NaN: nothing to report
    }
    // The reading's time is not part of its JSON; the edge stamps readings when it takes them.
    byte[] json = new Reading(device.leaf(), Instant.EPOCH, fields).toJson();
    handedOver = sink.accept(device.leaf(), json, JSON_CONTENT);
    handedOver.whenCompleteAsync((ok, failure) -> handOverDone(failure), loop);
  }

  private void handOverDone(Throwable failure) {
    if (failure != null && !handOverFailing) {
      handOverFailing = true;
      log.warn("modbus reading not taken by the edge leaf={} error=\"{}\"; later readings are still offered",
          device.leaf(), ModbusFailures.unwrap(failure).toString());
    } else if (failure == null && handOverFailing) {
      handOverFailing = false;
      log.info("modbus readings taken by the edge again leaf={}", device.leaf());
    }
  }

  private void skip(String reason) {
    skipped.incrementAndGet();
    if (!skipping) {
      skipping = true;
      log.warn("modbus polls skipped leaf={} reason=\"{}\" interval={}; nothing is queued meanwhile", device.leaf(),
          reason, DurationFormat.of(device.interval()));
    }
  }

  private void connectionLost() {
    if (!closed) {
      link.connectionLost();
    }
  }

  private Map<String, Object> inConfigOrder(Map<String, Object> values) {
    Map<String, Object> ordered = new LinkedHashMap<>();
    for (RegisterSpec register : device.registers()) {
      Object value = values.get(register.field());
      if (value != null) {
        ordered.put(register.field(), value);
      }
    }
    return ordered;
  }

  private String describe(Throwable error) {
    return switch (error) {
      case PollFailure failure -> failure.getMessage();
      case ModbusResponseException refused -> "the device answered with exception " + ModbusFailures.exceptionName(refused)
          + (refused.getExceptionCode() <= ILLEGAL_DATA_ADDRESS ? "; check the registers' kinds and addresses in the config" : "");
      case TimeoutException timedOut -> "no answer within " + DurationFormat.of(device.timeout());
      case ClosedChannelException notConnected -> "not connected";
      default -> error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    };
  }

  /** One block of a poll failed; the message names the block and why. */
  private static final class PollFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PollFailure(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }
}
