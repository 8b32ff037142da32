package io.gatehouse.server.provisioning;

import io.gatehouse.core.provisioning.EnrollmentKind;
import io.gatehouse.core.provisioning.Registration;
import io.gatehouse.core.x509.Certificates;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The answers of the provisioning service in Azure DPS's JSON shapes, the same over HTTPS and MQTT:
 * a RegistrationOperationStatus, a TPM challenge, or a DPS error. Status codes are HTTP's (MQTT
 * carries them in the response topic).
 */
public final class DpsAnswers {
  /** A status and the JSON body to send with it. */
  public record Answer(int status, Map<String, Object> body) {}

  private final String assignedHub;
  private final Clock clock;

  public DpsAnswers(String assignedHub, Clock clock) {
    this.assignedHub = assignedHub;
    this.clock = clock;
  }

  public Answer of(RegistrationOutcome outcome) {
    return switch (outcome) {
      case RegistrationOutcome.TpmChallenge challenge -> {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("authenticationKey", Base64.getEncoder().encodeToString(challenge.authenticationKey()));
        body.put("keyName", "registration");
        yield new Answer(401, body);
      }
      // Assignment happens within the register call, so the first answer is already final:
      // 200 with status assigned (DPS clients accept it as they accept a poll's answer).
      case RegistrationOutcome.Assigned assigned -> new Answer(200, operationStatus(assigned));
    };
  }

  /** {@code {"errorCode","trackingId","message","timestampUtc"}}. */
  public Answer error(DpsErrorCode code, String message, String trackingId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("errorCode", code.errorCode());
    body.put("trackingId", trackingId);
    body.put("message", message);
    body.put("timestampUtc", clock.instant().toString());
    return new Answer(code.status(), body);
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
    info.put("sha256Thumbprint", Certificates.sha256Thumbprint(certificate).toUpperCase(Locale.ROOT));
    info.put("issuerName", certificate.getIssuerX500Principal().getName());
    info.put("notBeforeUtc", certificate.getNotBefore().toInstant().toString());
    info.put("notAfterUtc", certificate.getNotAfter().toInstant().toString());
    info.put("serialNumber", certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT));
    info.put("version", certificate.getVersion());
    return info;
  }
}
