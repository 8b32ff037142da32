package io.gatehouse.bench.target;

import io.gatehouse.bench.client.DeviceLogin;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A field gateway and its leaves as the bench sets them up: the leaf ids and each leaf's local
 * secret (its MQTT password at the edge, written into edge.yaml; the service gateway never sees it).
 */
public record EdgeLeaves(String edgeId, List<String> ids, List<String> secrets) {
  public EdgeLeaves {
    ids = List.copyOf(ids);
    secrets = List.copyOf(secrets);
    if (ids.size() != secrets.size()) {
      throw new IllegalArgumentException("one secret per leaf");
    }
  }

  /** {@code count} leaves {@code leaf-00000…} with fresh random secrets. */
  public static EdgeLeaves create(String edgeId, int count) {
    SecureRandom random = new SecureRandom();
    List<String> ids = new ArrayList<>(count);
    List<String> secrets = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] bytes = new byte[18];
      random.nextBytes(bytes);
      ids.add("leaf-%05d".formatted(i));
      secrets.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }
    return new EdgeLeaves(edgeId, ids, secrets);
  }

  public int size() {
    return ids.size();
  }

  /** How leaf {@code index} logs in at the edge: client id and user name are its id, the password its secret. */
  public DeviceLogin login(int index) {
    String id = ids.get(index);
    return new DeviceLogin(id, id, id, secrets.get(index).getBytes(StandardCharsets.UTF_8),
        "leaves/" + id + "/telemetry", null, null);
  }

  @Override
  public String toString() {
    return "EdgeLeaves[" + edgeId + ", " + ids.size() + " leaves, secrets redacted]";
  }
}
