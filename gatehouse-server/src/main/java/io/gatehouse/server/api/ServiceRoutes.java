package io.gatehouse.server.api;

import io.gatehouse.core.identity.IdentityStatus;
import io.gatehouse.core.identity.ServiceIdentity;
import io.gatehouse.server.api.DeviceDtos.ConnectionStringView;
import io.gatehouse.server.api.DeviceDtos.KeyBody;
import io.gatehouse.server.api.ServiceDtos.ServiceBody;
import io.gatehouse.server.api.ServiceDtos.ServiceView;
import io.gatehouse.server.auth.Caller;
import io.gatehouse.server.http.ApiRequest;
import io.gatehouse.server.http.ApiResponse;
import io.gatehouse.server.http.Router;
import io.gatehouse.server.registry.KeyOperation;
import io.gatehouse.server.registry.KeySlot;
import io.gatehouse.server.registry.ServiceRegistry;
import io.gatehouse.store.DeviceQuery;
import io.gatehouse.store.Page;

/** {@code /services}: back-end and operator identities and their permissions. */
public final class ServiceRoutes {
  private final ServiceRegistry registry;
  private final ApiSupport api;

  public ServiceRoutes(ServiceRegistry registry, ApiSupport api) {
    this.registry = registry;
    this.api = api;
  }

  public void register(Router router) {
    router.add("PUT", "/services/{name}", api.secured(this::put))
        .add("GET", "/services/{name}", api.secured(this::get))
        .add("GET", "/services", api.secured(this::list))
        .add("DELETE", "/services/{name}", api.secured(this::delete))
        .add("POST", "/services/{name}/enable", api.secured((r, c) -> status(r, c, IdentityStatus.ENABLED)))
        .add("POST", "/services/{name}/disable", api.secured((r, c) -> status(r, c, IdentityStatus.DISABLED)))
        .add("POST", "/services/{name}/keys/regenerate", api.secured(this::regenerate))
        .add("GET", "/services/{name}/connection-string", api.secured(this::connectionString));
  }

  private ApiResponse put(ApiRequest request, Caller caller) {
    String name = request.pathParameter("name");
    ServiceBody body = api.body(request, ServiceBody.class);
    String ifMatch = ApiSupport.ifMatch(request);
    if (ifMatch == null) {
      ServiceIdentity created = registry.create(caller, name, body.toSpec());
      return api.withEtag(api.created(withKeys(created)), created.etag());
    }
    ServiceIdentity replaced = registry.replace(caller, name, body.toSpec(), ifMatch);
    return api.withEtag(api.ok(ServiceView.of(replaced)), replaced.etag());
  }

  private ApiResponse get(ApiRequest request, Caller caller) {
    ServiceIdentity identity = registry.get(caller, request.pathParameter("name"));
    return api.withEtag(api.ok(ServiceView.of(identity)), identity.etag());
  }

  private ApiResponse list(ApiRequest request, Caller caller) {
    Page<ServiceIdentity> page = registry.list(caller,
        request.intQueryParameter("pageSize", DeviceQuery.DEFAULT_PAGE_SIZE),
        request.queryParameter("continuationToken").orElse(null));
    return api.ok(new ListPage<>(page.items().stream().map(ServiceView::of).toList(), page.continuationToken()));
  }

  private ApiResponse delete(ApiRequest request, Caller caller) {
    registry.delete(caller, request.pathParameter("name"), ApiSupport.ifMatch(request));
    return ApiResponse.noContent();
  }

  private ApiResponse status(ApiRequest request, Caller caller, IdentityStatus status) {
    ServiceIdentity identity = registry.setStatus(caller, request.pathParameter("name"), status);
    return api.withEtag(api.ok(ServiceView.of(identity)), identity.etag());
  }

  private ApiResponse regenerate(ApiRequest request, Caller caller) {
    KeyBody body = api.body(request, KeyBody.class);
    ServiceIdentity identity = registry.changeKeys(caller, request.pathParameter("name"),
        KeyOperation.fromWire(body.key()));
    return api.withEtag(api.ok(withKeys(identity)), identity.etag());
  }

  private ApiResponse connectionString(ApiRequest request, Caller caller) {
    KeySlot slot = KeySlot.fromWire(request.queryParameter("key").orElse(null));
    return api.ok(new ConnectionStringView(registry.connectionString(caller, request.pathParameter("name"), slot)));
  }

  private ServiceView withKeys(ServiceIdentity identity) {
    return ServiceView.of(identity).withKeys(identity, registry.connectionString(identity, KeySlot.PRIMARY));
  }
}
