package io.gatehouse.bench.target;

import io.gatehouse.bench.client.DeviceLogin;
import java.util.concurrent.CompletableFuture;

/** The service side of the inbox scenario. */
public interface InboxSender extends AutoCloseable {
  /** What is measured, e.g. "service send (HTTPS) → device receipt". */
  String label();

  /**
   * Sends {@code text} to the device; the future completes when the server accepted it (HTTP 201 /
   * PUBACK) and fails when it refused it.
   */
  CompletableFuture<Void> send(DeviceLogin device, String text);

  @Override
  void close();
}
