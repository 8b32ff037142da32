package io.gatehouse.server.api;

import io.gatehouse.core.identity.Authentication.SymmetricKeys;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.core.identity.IdentityStatus;
import io.gatehouse.core.identity.Tags;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.server.api.DeviceDtos.ConnectionStringView;
import io.gatehouse.server.api.DeviceDtos.DeviceBody;
import io.gatehouse.server.api.DeviceDtos.DeviceView;
import io.gatehouse.server.api.DeviceDtos.KeyBody;
import io.gatehouse.server.api.DeviceDtos.ReasonBody;
import io.gatehouse.server.api.DeviceDtos.TokenBody;
import io.gatehouse.server.api.DeviceDtos.TokenView;
import io.gatehouse.server.auth.Caller;
import io.gatehouse.server.http.ApiRequest;
import io.gatehouse.server.http.ApiResponse;
import io.gatehouse.server.http.Router;
import io.gatehouse.server.registry.DeviceRegistry;
import io.gatehouse.server.registry.IssuedCredential;
import io.gatehouse.server.registry.KeyOperation;
import io.gatehouse.server.registry.KeySlot;
import io.gatehouse.store.DeviceQuery;
import io.gatehouse.store.Page;
import java.time.Duration;

/** {@code /devices}: the registry of devices and field gateways. Thin: decode, ask the registry, encode. */
public final class DeviceRoutes {
  private final DeviceRegistry registry;
  private final ApiSupport api;

  public DeviceRoutes(DeviceRegistry registry, ApiSupport api) {
    this.registry = registry;
    this.api = api;
  }

  public void register(Router router) {
    router.add("PUT", "/devices/{id}", api.secured(this::put))
        .add("GET", "/devices/{id}", api.secured(this::get))
        .add("GET", "/devices", api.secured(this::list))
        .add("DELETE", "/devices/{id}", api.secured(this::delete))
        .add("POST", "/devices/{id}/enable", api.secured((r, c) -> status(r, c, IdentityStatus.ENABLED)))
        .add("POST", "/devices/{id}/disable", api.secured((r, c) -> status(r, c, IdentityStatus.DISABLED)))
        .add("POST", "/devices/{id}/quarantine", api.secured((r, c) -> status(r, c, IdentityStatus.QUARANTINED)))
        .add("POST", "/devices/{id}/keys/regenerate", api.secured(this::regenerate))
        .add("GET", "/devices/{id}/connection-string", api.secured(this::connectionString))
        .add("POST", "/devices/{id}/token", api.secured(this::token));
  }

  private ApiResponse put(ApiRequest request, Caller caller) {
    String id = request.pathParameter("id");
    DeviceBody body = api.body(request, DeviceBody.class);
    String ifMatch = ApiSupport.ifMatch(request);
    if (ifMatch == null) {
      Device created = registry.create(caller, id, body.toSpec());
      return api.withEtag(api.created(withSecrets(created)), created.etag());
    }
    Device replaced = registry.replace(caller, id, body.toSpec(), ifMatch);
    return api.withEtag(api.ok(DeviceView.of(replaced)), replaced.etag());
  }

  private ApiResponse get(ApiRequest request, Caller caller) {
    Device device = registry.get(caller, request.pathParameter("id"));
    return api.withEtag(api.ok(DeviceView.of(device)), device.etag());
  }

  private ApiResponse list(ApiRequest request, Caller caller) {
    String tagKey = null;
    String tagValue = null;
    var tag = request.queryParameter("tag");
    if (tag.isPresent()) {
      int colon = tag.get().indexOf(':');
      if (colon <= 0) {
        throw new InvalidInputException("tag filter must be key:value");
      }
      tagKey = Tags.requireKey(tag.get().substring(0, colon));
      tagValue = tag.get().substring(colon + 1);
    }
    DeviceQuery query = new DeviceQuery(
        request.queryParameter("kind").map(IdentityKind::fromWire).orElse(null),
        request.queryParameter("status").map(IdentityStatus::fromWire).orElse(null),
        request.queryParameter("parent").orElse(null), tagKey, tagValue,
        request.intQueryParameter("pageSize", DeviceQuery.DEFAULT_PAGE_SIZE),
        request.queryParameter("continuationToken").orElse(null));
    Page<Device> page = registry.list(caller, query);
    return api.ok(new ListPage<>(page.items().stream().map(DeviceView::of).toList(), page.continuationToken()));
  }

  private ApiResponse delete(ApiRequest request, Caller caller) {
    registry.delete(caller, request.pathParameter("id"), ApiSupport.ifMatch(request));
    return ApiResponse.noContent();
  }

  private ApiResponse status(ApiRequest request, Caller caller, IdentityStatus status) {
    ReasonBody body = api.optionalBody(request, ReasonBody.class);
    Device device = registry.setStatus(caller, request.pathParameter("id"), status, body == null ? null : body.reason());
    return api.withEtag(api.ok(DeviceView.of(device)), device.etag());
  }

  private ApiResponse regenerate(ApiRequest request, Caller caller) {
    KeyBody body = api.body(request, KeyBody.class);
    Device device = registry.changeKeys(caller, request.pathParameter("id"), KeyOperation.fromWire(body.key()));
    return api.withEtag(api.ok(withSecrets(device)), device.etag());
  }

  private ApiResponse connectionString(ApiRequest request, Caller caller) {
    KeySlot slot = KeySlot.fromWire(request.queryParameter("key").orElse(null));
    return api.ok(new ConnectionStringView(registry.connectionString(caller, request.pathParameter("id"), slot)));
  }

  private ApiResponse token(ApiRequest request, Caller caller) {
    TokenBody body = api.optionalBody(request, TokenBody.class);
    long ttl = body == null || body.ttlSeconds() == null ? 3600 : body.ttlSeconds();
    KeySlot slot = KeySlot.fromWire(body == null ? null : body.key());
    IssuedCredential issued = registry.token(caller, request.pathParameter("id"), Duration.ofSeconds(ttl), slot);
    return api.ok(new TokenView(issued.token(), issued.expiresAt()));
  }

  private DeviceView withSecrets(Device device) {
    DeviceView view = DeviceView.of(device);
    if (device.authentication() instanceof SymmetricKeys keys) {
      return view.withSecrets(keys.primaryKey(), keys.secondaryKey(), registry.connectionString(device, KeySlot.PRIMARY));
    }
    return view;
  }
}
