package io.gatehouse.cli.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events stream from the gateway, read one event at a time. Comments (the gateway's
 * keep-alives) are skipped, but count as a sign of life: a stream silent for longer than
 * {@code idleTimeout} is taken for a dead connection and closed, so that {@link #next()} fails
 * instead of waiting forever.
 */
public final class ServerEvents implements AutoCloseable {
  /** One event: {@code id} is what to send back as {@code Last-Event-ID} to resume after it. */
  public record Event(String id, String type, String data) {}

  private final InputStream body;
  private final BufferedReader lines;
  private final ScheduledExecutorService watchdog;
  private volatile long lastActivity = System.nanoTime();
  private volatile boolean idle;

  ServerEvents(InputStream body, Duration idleTimeout) {
    this.body = body;
    this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    this.watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
        .name("gatehouse-cli-stream-watchdog").factory());
    long period = Math.max(1, idleTimeout.toMillis() / 3);
    watchdog.scheduleAtFixedRate(() -> {
      if (System.nanoTime() - lastActivity > idleTimeout.toNanos()) {
        idle = true;
        closeQuietly();
      }
    }, period, period, TimeUnit.MILLISECONDS);
  }

  /**
   * The next event, blocking until it arrives; {@code null} when the gateway ended the stream.
   *
   * @throws IOException when the connection fails, is found dead (see {@link #wentIdle()}), or the
   *     reading thread is interrupted
   */
  public Event next() throws IOException {
    String id = null;
    String type = null;
    StringBuilder data = null;
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      lastActivity = System.nanoTime();
      if (line.isEmpty()) {
        if (data != null) {
          return new Event(id, type, data.toString());
        }
        id = null;
        type = null;
      } else if (!line.startsWith(":")) {
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        value = value.startsWith(" ") ? value.substring(1) : value;
        switch (field) {
          case "id" -> id = value;
          case "event" -> type = value;
          case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
          default -> { } // retry and unknown fields: nothing to do
        }
      }
    }
    return null;
  }

  /** Whether more of the stream has arrived already, so that {@link #next()} would not wait long. */
  public boolean ready() {
    try {
      return lines.ready();
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether the stream was closed because nothing, not even a keep-alive, arrived in time. */
  public boolean wentIdle() {
    return idle;
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      body.close();
    } catch (IOException e) {
      // closing a stream that failed: nothing more to do
    }
  }
}
