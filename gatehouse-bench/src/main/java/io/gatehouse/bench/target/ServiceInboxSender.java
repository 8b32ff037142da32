package io.gatehouse.bench.target;

import io.gatehouse.bench.client.DeviceLogin;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The service side as a back end would run it: a pool of {@value #CONNECTIONS} kept-alive HTTPS
 * connections (opened before the clock starts), at most one request on each; sends beyond that wait
 * their turn, and the wait counts in the latency (measured from the scheduled time).
 */
final class ServiceInboxSender implements InboxSender {
  static final int CONNECTIONS = 16;

  private final GatehouseApi api;
  private final Semaphore permits = new Semaphore(CONNECTIONS);
  private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

  private ServiceInboxSender(GatehouseApi api) {
    this.api = api;
  }

  /** Opens the connections (a GET of {@code warmDevice} on each) before returning. */
  static ServiceInboxSender open(GatehouseApi api, String warmDevice) throws Exception {
    List<CompletableFuture<?>> warm = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      warm.add(api.call("GET", "/devices/" + warmDevice, null));
    }
    CompletableFuture.allOf(warm.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    return new ServiceInboxSender(api);
  }

  @Override
  public String label() {
    return "service send (HTTPS POST /devices/{id}/messages/devicebound, " + CONNECTIONS
        + " connections) → device receipt (MQTT)";
  }

  @Override
  public CompletableFuture<Void> send(DeviceLogin device, String text) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    waiting.add(() -> api.sendToDevice(device.deviceId(), text).whenComplete((ok, error) -> {
      permits.release();
      if (error == null) {
        result.complete(null);
      } else {
        result.completeExceptionally(error);
      }
      drain();
    }));
    drain();
    return result;
  }

  private void drain() {
    while (!waiting.isEmpty() && permits.tryAcquire()) {
      Runnable next = waiting.poll();
      if (next == null) {
        permits.release();
        return;
      }
      next.run();
    }
  }

  @Override
  public void close() {}
}
