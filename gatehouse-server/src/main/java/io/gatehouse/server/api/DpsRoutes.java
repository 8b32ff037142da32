package io.gatehouse.server.api;

import io.gatehouse.core.provisioning.EnrollmentKind;
import io.gatehouse.core.provisioning.Registration;
import io.gatehouse.core.x509.Certificates;
import io.gatehouse.server.http.ApiHandler;
import io.gatehouse.server.http.ApiRequest;
import io.gatehouse.server.http.ApiResponse;
import io.gatehouse.server.http.JsonCodec;
import io.gatehouse.server.http.Router;
import io.gatehouse.server.provisioning.DpsErrorCode;
import io.gatehouse.server.provisioning.DpsException;
import io.gatehouse.server.provisioning.ProvisioningService;
import io.gatehouse.server.provisioning.RegistrationOutcome;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Azure DPS device API on the gateway's HTTPS port: register, operation polling and status
 * lookup, answered in DPS's shapes, errors included ({@code errorCode}, {@code trackingId},
 * {@code message}, {@code timestampUtc}) rather than RFC 9457 problems, because DPS clients parse
 * those. {@code api-version} is accepted and ignored. Thin: decode, ask the service, encode.
 */
public final class DpsRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(DpsRoutes.class);
  private static final String REGISTRATION = "/{idScope}/registrations/{registrationId}";

  private final ProvisioningService service;
  private final JsonCodec json;
  private final String assignedHub;
  private final Clock clock;

  public DpsRoutes(ProvisioningService service, JsonCodec json, String assignedHub, Clock clock) {
    this.service = service;
    this.json = json;
    this.assignedHub = assignedHub;
    this.clock = clock;
  }

  public void register(Router router) {
    router.add("PUT", REGISTRATION + "/register", dps(r -> service.register(call(r), r.body())))
        .add("GET", REGISTRATION + "/operations/{operationId}",
            dps(r -> service.operation(call(r), r.pathParameter("operationId"))))
        .add("POST", REGISTRATION, dps(r -> service.status(call(r), r.body())));
  }

  private interface DpsCall {
    RegistrationOutcome run(ApiRequest request);
  }

  private ApiHandler dps(DpsCall call) {
    return request -> {
      try {
        return render(call.run(request));
      } catch (DpsException e) {
        return error(e.code(), e.getMessage());
      } catch (RuntimeException e) {
        String tracking = UUID.randomUUID().toString();
        LOG.error("provisioning request failed trackingId={} {} {}", tracking, request.method(), request.path(), e);
        return error(DpsErrorCode.INTERNAL, "the provisioning service failed; the failure is logged with trackingId "
            + tracking, tracking);
      }
    };
  }

  private static ProvisioningService.Call call(ApiRequest request) {
    return new ProvisioningService.Call(request.pathParameter("idScope"), request.pathParameter("registrationId"),
        request.header("Authorization").map(String::trim).filter(s -> !s.isEmpty()).orElse(null),
        request.clientCertificates(), request.source());
  }

  private ApiResponse render(RegistrationOutcome outcome) {
    return switch (outcome) {
      case RegistrationOutcome.TpmChallenge challenge -> {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("authenticationKey", Base64.getEncoder().encodeToString(challenge.authenticationKey()));
        body.put("keyName", "registration");
        yield json.response(401, body);
      }
      // Assignment happens within the register call, so the first answer is already final:
      // 200 with status assigned (DPS clients accept it as they accept a poll's answer).
      case RegistrationOutcome.Assigned assigned -> json.response(200, operationStatus(assigned));
    };
  }

  private Map<String, Object> operationStatus(RegistrationOutcome.Assigned assigned) {
    Registration r = assigned.registration();
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("registrationId", assigned.registrationId());
    state.put("createdDateTimeUtc", r.createdAt().toString());
    state.put("assignedHub", assignedHub);
    state.put("deviceId", r.deviceId());
    state.put("status", "assigned");
    state.put("substatus", r.substatus().wireName());
    state.put("lastUpdatedDateTimeUtc", r.updatedAt().toString());
    state.put("etag", r.etag());
    String group = r.enrollmentKind() == EnrollmentKind.GROUP ? r.enrollmentId() : null;
    switch (r.attestation()) {
      case "symmetric-key" -> state.put("symmetricKey", group == null ? Map.of() : Map.of("enrollmentGroupId", group));
      case "x509" -> {
        Map<String, Object> x509 = new LinkedHashMap<>();
        if (assigned.certificate() != null) {
          x509.put("certificateInfo", certificateInfo(assigned.certificate()));
        }
        if (group != null) {
          x509.put("enrollmentGroupId", group);
        }
        state.put("x509", x509);
      }
      case "tpm" -> {
        if (assigned.tpmAuthenticationKey() != null) {
          state.put("tpm", Map.of("authenticationKey",
              Base64.getEncoder().encodeToString(assigned.tpmAuthenticationKey())));
        }
      }
      default -> { }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("operationId", r.operationId());
    body.put("status", "assigned");
    body.put("registrationState", state);
    return body;
  }

  private static Map<String, Object> certificateInfo(X509Certificate certificate) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("subjectName", certificate.getSubjectX500Principal().getName());
    try {
      info.put("sha1Thumbprint", HexFormat.of().withUpperCase().formatHex(
          MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded())));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("the certificate cannot be hashed", e);
    }
    info.put("sha256Thumbprint", Certificates.sha256Thumbprint(certificate).toUpperCase(java.util.Locale.ROOT));
    info.put("issuerName", certificate.getIssuerX500Principal().getName());
    info.put("notBeforeUtc", certificate.getNotBefore().toInstant().toString());
    info.put("notAfterUtc", certificate.getNotAfter().toInstant().toString());
    info.put("serialNumber", certificate.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT));
    info.put("version", certificate.getVersion());
    return info;
  }

  private ApiResponse error(DpsErrorCode code, String message) {
    return error(code, message, UUID.randomUUID().toString());
  }

  private ApiResponse error(DpsErrorCode code, String message, String trackingId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("errorCode", code.errorCode());
    body.put("trackingId", trackingId);
    body.put("message", message);
    body.put("timestampUtc", clock.instant().toString());
    ApiResponse response = json.response(code.status(), body).withHeader("x-ms-error-code",
        Integer.toString(code.errorCode()));
    return code.status() == 401 ? response.withHeader("WWW-Authenticate", "SharedAccessSignature") : response;
  }
}
