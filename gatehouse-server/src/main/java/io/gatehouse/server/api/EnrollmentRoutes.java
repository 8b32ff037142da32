package io.gatehouse.server.api;

import io.gatehouse.core.provisioning.Enrollment;
import io.gatehouse.core.provisioning.EnrollmentKind;
import io.gatehouse.core.provisioning.Registration;
import io.gatehouse.store.DeviceQuery;
import io.gatehouse.server.api.EnrollmentDtos.EnrollmentBody;
import io.gatehouse.server.api.EnrollmentDtos.EnrollmentView;
import io.gatehouse.server.api.EnrollmentDtos.ProvisioningView;
import io.gatehouse.server.api.EnrollmentDtos.RegistrationView;
import io.gatehouse.server.auth.Caller;
import io.gatehouse.server.auth.Guard;
import io.gatehouse.server.http.ApiRequest;
import io.gatehouse.server.http.ApiResponse;
import io.gatehouse.server.http.Router;
import io.gatehouse.server.provisioning.EnrollmentService;
import io.gatehouse.store.Page;

/**
 * {@code /enrollments} (individual, by registration id), {@code /enrollmentGroups} (by group id),
 * {@code /registrations/{id}} and {@code /provisioning}: the provisioning service's side of the
 * service API. Thin: decode, ask the enrollment service, encode.
 */
public final class EnrollmentRoutes {
  private final EnrollmentService enrollments;
  private final ApiSupport api;
  private final Guard guard;
  private final String idScope;
  private final String hostName;
  private final java.util.function.IntSupplier httpsPort;

  /** @param httpsPort the bound port, known only once the server has started (after the routes are built) */
  public EnrollmentRoutes(EnrollmentService enrollments, ApiSupport api, Guard guard, String idScope, String hostName,
      java.util.function.IntSupplier httpsPort) {
    this.enrollments = enrollments;
    this.api = api;
    this.guard = guard;
    this.idScope = idScope;
    this.hostName = hostName;
    this.httpsPort = httpsPort;
  }

  public void register(Router router) {
    for (EnrollmentKind kind : EnrollmentKind.values()) {
      String base = kind == EnrollmentKind.GROUP ? "/enrollmentGroups" : "/enrollments";
      router.add("PUT", base + "/{id}", api.secured((r, c) -> put(r, c, kind)))
          .add("GET", base + "/{id}", api.secured((r, c) -> get(r, c, kind)))
          .add("GET", base, api.secured((r, c) -> list(r, c, kind)))
          .add("DELETE", base + "/{id}", api.secured((r, c) -> delete(r, c, kind)))
          .add("POST", base + "/{id}/enable", api.secured((r, c) -> enabled(r, c, kind, true)))
          .add("POST", base + "/{id}/disable", api.secured((r, c) -> enabled(r, c, kind, false)))
          .add("GET", base + "/{id}/registrations", api.secured((r, c) -> registrations(r, c, kind)));
    }
    router.add("GET", "/registrations/{registrationId}", api.secured(this::registration))
        .add("GET", "/provisioning", api.secured(this::provisioning));
  }

  private ApiResponse put(ApiRequest request, Caller caller, EnrollmentKind kind) {
    String id = request.pathParameter("id");
    EnrollmentBody body = api.body(request, EnrollmentBody.class);
    String ifMatch = ApiSupport.ifMatch(request);
    if (ifMatch == null) {
      Enrollment created = enrollments.create(caller, kind, id, body.toSpec());
      return api.withEtag(api.created(EnrollmentView.withKeys(created)), created.etag());
    }
    Enrollment replaced = enrollments.replace(caller, kind, id, body.toSpec(), ifMatch);
    return api.withEtag(api.ok(EnrollmentView.of(replaced)), replaced.etag());
  }

  private ApiResponse get(ApiRequest request, Caller caller, EnrollmentKind kind) {
    Enrollment enrollment = enrollments.get(caller, kind, request.pathParameter("id"));
    return api.withEtag(api.ok(EnrollmentView.of(enrollment)), enrollment.etag());
  }

  private ApiResponse list(ApiRequest request, Caller caller, EnrollmentKind kind) {
    Page<Enrollment> page = enrollments.list(caller, kind,
        request.intQueryParameter("pageSize", DeviceQuery.DEFAULT_PAGE_SIZE),
        request.queryParameter("continuationToken").orElse(null));
    return api.ok(new ListPage<>(page.items().stream().map(EnrollmentView::of).toList(), page.continuationToken()));
  }

  private ApiResponse delete(ApiRequest request, Caller caller, EnrollmentKind kind) {
    enrollments.delete(caller, kind, request.pathParameter("id"), ApiSupport.ifMatch(request));
    return ApiResponse.noContent();
  }

  private ApiResponse enabled(ApiRequest request, Caller caller, EnrollmentKind kind, boolean enabled) {
    Enrollment enrollment = enrollments.setEnabled(caller, kind, request.pathParameter("id"), enabled);
    return api.withEtag(api.ok(EnrollmentView.of(enrollment)), enrollment.etag());
  }

  private ApiResponse registrations(ApiRequest request, Caller caller, EnrollmentKind kind) {
    Page<Registration> page = enrollments.registrations(caller, kind, request.pathParameter("id"),
        request.intQueryParameter("pageSize", DeviceQuery.DEFAULT_PAGE_SIZE),
        request.queryParameter("continuationToken").orElse(null));
    return api.ok(new ListPage<>(page.items().stream().map(RegistrationView::of).toList(), page.continuationToken()));
  }

  private ApiResponse registration(ApiRequest request, Caller caller) {
    return api.ok(RegistrationView.of(enrollments.registration(caller, request.pathParameter("registrationId"))));
  }

  private ApiResponse provisioning(ApiRequest request, Caller caller) {
    guard.require(caller, io.gatehouse.core.authz.Permission.ENROLLMENTS_READ, "provisioning.read", "provisioning");
    return api.ok(new ProvisioningView(idScope, hostName, httpsPort.getAsInt(), hostName));
  }
}
