package io.gatehouse.server.transport;

import io.gatehouse.server.http.RejectedRequestListener;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers every refusal the transport reports. */
final class RecordingListener implements RejectedRequestListener {
  record Rejection(SocketAddress remote, int status, String reason) {}

  private final List<Rejection> rejections = new CopyOnWriteArrayList<>();

  @Override
  public void rejected(SocketAddress remote, int status, String reason) {
    rejections.add(new Rejection(remote, status, reason));
  }

  List<Rejection> all() {
    return List.copyOf(rejections);
  }

  List<Rejection> withStatus(int status) {
    return rejections.stream().filter(r -> r.status() == status).toList();
  }
}
