package io.gatehouse.server.api;

import io.gatehouse.core.x509.CaCertificate;
import io.gatehouse.server.auth.Caller;
import io.gatehouse.server.http.ApiRequest;
import io.gatehouse.server.http.ApiResponse;
import io.gatehouse.server.http.Router;
import io.gatehouse.server.registry.CaRegistry;
import java.time.Instant;
import java.util.List;

/** {@code /certificates}: CA certificates for X.509 CA-signed devices. */
public final class CertificateRoutes {
  record CertificateBody(String pem) {}

  record CertificateView(String name, String subject, String sha256Thumbprint, Instant notBefore, Instant notAfter,
      Instant createdAt) {
    static CertificateView of(CaCertificate ca) {
      return new CertificateView(ca.name(), ca.subject(), ca.sha256Thumbprint(), ca.notBefore(), ca.notAfter(),
          ca.createdAt());
    }
  }

  record CertificateList(List<CertificateView> items) {}

  private final CaRegistry registry;
  private final ApiSupport api;

  public CertificateRoutes(CaRegistry registry, ApiSupport api) {
    this.registry = registry;
    this.api = api;
  }

  public void register(Router router) {
    router.add("PUT", "/certificates/{name}", api.secured(this::put))
        .add("GET", "/certificates/{name}", api.secured(this::get))
        .add("GET", "/certificates", api.secured(this::list))
        .add("DELETE", "/certificates/{name}", api.secured(this::delete));
  }

  private ApiResponse put(ApiRequest request, Caller caller) {
    CertificateBody body = api.body(request, CertificateBody.class);
    return api.created(CertificateView.of(registry.add(caller, request.pathParameter("name"), body.pem())));
  }

  private ApiResponse get(ApiRequest request, Caller caller) {
    return api.ok(CertificateView.of(registry.get(caller, request.pathParameter("name"))));
  }

  private ApiResponse list(ApiRequest request, Caller caller) {
    return api.ok(new CertificateList(registry.list(caller).stream().map(CertificateView::of).toList()));
  }

  private ApiResponse delete(ApiRequest request, Caller caller) {
    registry.delete(caller, request.pathParameter("name"));
    return ApiResponse.noContent();
  }
}
