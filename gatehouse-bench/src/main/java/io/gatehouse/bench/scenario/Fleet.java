package io.gatehouse.bench.scenario;

import io.gatehouse.bench.client.ClientFactory;
import io.gatehouse.bench.client.DeviceClient;
import io.gatehouse.bench.client.DeviceLogin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Connects and disconnects many simulated devices with a bounded number of attempts in flight. */
public final class Fleet {
  private static final long CONNECT_TIMEOUT_SECONDS = 30;

  private Fleet() {}

  /**
   * @param connected the devices whose CONNACK accepted them, in completion order
   * @param elapsedNanos from the first attempt to the last completion
   * @param latency per device: TCP connect, full TLS handshake, CONNECT → CONNACK
   * @param failures reason → count
   */
  public record Result(List<DeviceClient> connected, int attempted, int failed, long elapsedNanos,
      Latencies latency, Map<String, Integer> failures, boolean timedOut) {
    public double perSecond() {
      return elapsedNanos == 0 ? 0 : connected.size() / (elapsedNanos / 1e9);
    }

    public String failureSummary() {
      StringBuilder out = new StringBuilder();
      failures.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(3)
          .forEach(e -> out.append(out.isEmpty() ? "" : "; ").append(e.getValue()).append("× ").append(e.getKey()));
      return out.toString();
    }
  }

  /** Connects every login, at most {@code inFlight} attempts at once, within {@code limit}. */
  public static Result connect(ClientFactory factory, List<DeviceLogin> logins, byte[] telemetryPayload,
      int inFlight, Duration limit) throws InterruptedException {
    List<DeviceClient> connected = Collections.synchronizedList(new ArrayList<>(logins.size()));
    Map<String, Integer> failures = new ConcurrentHashMap<>();
    Latencies latency = new Latencies();
    AtomicInteger failed = new AtomicInteger();
    AtomicLong lastDone = new AtomicLong();
    Semaphore permits = new Semaphore(inFlight);
    // Build the clients first: client construction is not part of what is measured.
    List<DeviceClient> clients = new ArrayList<>(logins.size());
    for (DeviceLogin login : logins) {
      clients.add(factory.create(login, telemetryPayload));
    }
    long deadline = System.nanoTime() + limit.toNanos();
    long start = System.nanoTime();
    int attempted = 0;
    boolean timedOut = false;
    for (DeviceClient client : clients) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !permits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
        timedOut = true;
        break;
      }
      attempted++;
      long t0 = System.nanoTime();
      client.connect().orTimeout(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((ok, error) -> {
        long now = System.nanoTime();
        lastDone.accumulateAndGet(now, Math::max);
        if (error == null) {
          latency.recordNanos(now - t0);
          connected.add(client);
        } else {
          failed.incrementAndGet();
          failures.merge(reason(error), 1, Integer::sum);
        }
        permits.release();
      });
    }
    long left = Math.max(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(CONNECT_TIMEOUT_SECONDS + 5));
    if (!permits.tryAcquire(inFlight, left, TimeUnit.NANOSECONDS)) {
      timedOut = true;
    } else {
      permits.release(inFlight);
    }
    long elapsed = Math.max(0, lastDone.get() - start);
    List<DeviceClient> snapshot;
    synchronized (connected) {
      snapshot = new ArrayList<>(connected);
    }
    return new Result(snapshot, attempted, failed.get(), elapsed, latency, new LinkedHashMap<>(failures), timedOut);
  }

  /** Disconnects all, at most {@code inFlight} at once, waiting at most 60 s in all. */
  public static void disconnect(List<DeviceClient> clients, int inFlight) throws InterruptedException {
    Semaphore permits = new Semaphore(inFlight);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (DeviceClient client : clients) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !permits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
        return;
      }
      client.disconnect().orTimeout(10, TimeUnit.SECONDS).whenComplete((ok, error) -> permits.release());
    }
    permits.tryAcquire(inFlight, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /** A short, secret-free description of a failure. */
  public static String reason(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t.getCause() != null && t.getMessage() == null) && t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? "" : ": " + t.getMessage();
    if (message.length() > 100) {
      message = message.substring(0, 100) + "…";
    }
    return t.getClass().getSimpleName() + message;
  }
}
