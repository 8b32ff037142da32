package io.gatehouse.server.posture;

import io.gatehouse.core.authz.Permission;
import io.gatehouse.core.error.NotFoundException;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityIds;
import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.server.auth.Caller;
import io.gatehouse.server.auth.Guard;
import io.gatehouse.store.DeviceStore;
import io.gatehouse.store.EdgePosture;
import io.gatehouse.store.EdgePostureStore;

/** The latest posture report of a field gateway, for callers holding {@code registry.read}. Blocks on the store. */
public final class PostureReader {
  private final DeviceStore devices;
  private final EdgePostureStore postures;
  private final Guard guard;

  public PostureReader(DeviceStore devices, EdgePostureStore postures, Guard guard) {
    this.devices = devices;
    this.postures = postures;
    this.guard = guard;
  }

  /** @throws NotFoundException if there is no such edge, it is not an edge, or it never reported (each its own message) */
  public EdgePosture latest(Caller caller, String edgeId) {
    guard.require(caller, Permission.REGISTRY_READ, "edge.posture.read", "device:" + edgeId);
    IdentityIds.requireValid("edge id", edgeId);
    Device edge = devices.find(edgeId).orElseThrow(() -> new NotFoundException("no field gateway '" + edgeId + "'"));
    if (edge.kind() != IdentityKind.EDGE) {
      throw new NotFoundException("'" + edgeId + "' is a device, not a field gateway (kind edge); only field "
          + "gateways report a posture");
    }
    return postures.find(edgeId).orElseThrow(() -> new NotFoundException("field gateway '" + edgeId
        + "' has not reported its posture yet (edges report over MQTT on $gatehouse/edge/posture once connected)"));
  }
}
