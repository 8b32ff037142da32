package io.gatehouse.server.api;

import io.gatehouse.server.http.ApiHandler;
import io.gatehouse.server.http.ApiRequest;
import io.gatehouse.server.http.ApiResponse;
import io.gatehouse.server.http.JsonCodec;
import io.gatehouse.server.http.Router;
import io.gatehouse.server.provisioning.DpsAnswers;
import io.gatehouse.server.provisioning.DpsErrorCode;
import io.gatehouse.server.provisioning.DpsException;
import io.gatehouse.server.provisioning.ProvisioningService;
import io.gatehouse.server.provisioning.RegistrationOutcome;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Azure DPS device API on the gateway's HTTPS port: register, operation polling and status
 * lookup, answered in DPS's shapes ({@link DpsAnswers}), errors included ({@code errorCode},
 * {@code trackingId}, {@code message}, {@code timestampUtc}) rather than RFC 9457 problems, because
 * DPS clients parse those. {@code api-version} is accepted and ignored. Thin: decode, ask the
 * service, encode.
 */
public final class DpsRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(DpsRoutes.class);
  private static final String REGISTRATION = "/{idScope}/registrations/{registrationId}";

  private final ProvisioningService service;
  private final JsonCodec json;
  private final DpsAnswers answers;

  public DpsRoutes(ProvisioningService service, JsonCodec json, DpsAnswers answers) {
    this.service = service;
    this.json = json;
    this.answers = answers;
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
        return respond(answers.of(call.run(request)), null);
      } catch (DpsException e) {
        return respond(answers.error(e.code(), e.getMessage(), UUID.randomUUID().toString()), e.code());
      } catch (RuntimeException e) {
        String tracking = UUID.randomUUID().toString();
        LOG.error("provisioning request failed trackingId={} {} {}", tracking, request.method(), request.path(), e);
        return respond(answers.error(DpsErrorCode.INTERNAL, "the provisioning service failed; the failure is logged "
            + "with trackingId " + tracking, tracking), DpsErrorCode.INTERNAL);
      }
    };
  }

  private static ProvisioningService.Call call(ApiRequest request) {
    return new ProvisioningService.Call(request.pathParameter("idScope"), request.pathParameter("registrationId"),
        request.header("Authorization").map(String::trim).filter(s -> !s.isEmpty()).orElse(null),
        request.clientCertificates(), request.source());
  }

  private ApiResponse respond(DpsAnswers.Answer answer, DpsErrorCode error) {
    ApiResponse response = json.response(answer.status(), answer.body());
    if (error != null) {
      response = response.withHeader("x-ms-error-code", Integer.toString(error.errorCode()));
    }
    return answer.status() == 401 && error != null ? response.withHeader("WWW-Authenticate", "SharedAccessSignature")
        : response;
  }
}
