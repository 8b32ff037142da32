package io.gatehouse.server.api;

import io.gatehouse.core.sas.SasException;
import io.gatehouse.core.sas.SasToken;
import io.gatehouse.server.audit.AuditLog;
import io.gatehouse.server.device.AuthenticatedDevice;
import io.gatehouse.server.device.DeviceAuthException;
import io.gatehouse.server.device.DeviceAuthenticator;
import io.gatehouse.server.device.DeviceCredential;
import io.gatehouse.server.http.ApiRequest;
import io.gatehouse.server.http.ProblemException;
import io.gatehouse.server.http.Problems;
import java.util.Optional;

/**
 * Authenticates a call of the device API and holds it to the device in its path ({@code {id}}).
 * The credential is {@code Authorization: SharedAccessSignature …} (a device token) when present,
 * else the TLS client certificate chain. Refusals are audited: the authenticator audits bad
 * credentials, this class a missing credential and a device acting for another.
 */
final class DeviceCallers {
  private static final String SAS_SCHEME = "SharedAccessSignature";

  private final DeviceAuthenticator authenticator;
  private final AuditLog audit;

  DeviceCallers(DeviceAuthenticator authenticator, AuditLog audit) {
    this.authenticator = authenticator;
    this.audit = audit;
  }

  /**
   * @param action for the audit line, e.g. {@code https.telemetry}
   * @throws ProblemException 401 without a valid credential, 403 for a disabled device or one that
   *     is not the device in the path
   */
  AuthenticatedDevice require(ApiRequest request, String action) {
    String pathDevice = request.pathParameter("id");
    DeviceCredential credential = credential(request, pathDevice);
    if (credential == null) {
      String reason = "no device credential: neither a SharedAccessSignature in Authorization nor a TLS client "
          + "certificate";
      audit.failure("device:" + pathDevice, action, "device:" + pathDevice, reason, request.source());
      throw Problems.unauthorized(reason);
    }
    AuthenticatedDevice device;
    try {
      device = authenticator.authenticate(credential, action, request.source(), false);
    } catch (DeviceAuthException e) {
      // The audit log has the precise reason; the caller learns what it can fix without probing the registry.
      throw switch (e.reason()) {
        case MALFORMED -> Problems.unauthorized("the device credential is malformed: " + e.getMessage());
        case BAD_CREDENTIALS -> Problems.unauthorized(credential instanceof DeviceCredential.Sas
            ? "the SAS token does not prove a registered device: unknown device, wrong key, wrong audience or "
                + "expired; sr must be {host}/devices/{id} and the token signed with that device's key"
            : "the TLS client certificate does not prove device '" + pathDevice + "': it is not registered for it, "
                + "does not chain to a registered CA, or is outside its validity");
        case NOT_AUTHORIZED -> Problems.forbidden(e.getMessage(), null);
      };
    }
    if (!device.id().equals(pathDevice)) {
      String reason = "device '" + device.id() + "' may act only as itself, not as '" + pathDevice + "'";
      audit.denied("device:" + device.id(), action, "device:" + pathDevice, reason, request.source());
      throw Problems.forbidden(reason, null);
    }
    return device;
  }

  /**
   * The device a SAS token claims is the one in its audience ({@code {host}/devices/{id}}), so that
   * a valid token used on another device's path is told 403 (a proven device, acting for another),
   * not 401. Certificates claim the device in the path: the registry decides whether they prove it.
   */
  private static DeviceCredential credential(ApiRequest request, String pathDevice) {
    Optional<String> authorization = request.header("Authorization").map(String::trim);
    if (authorization.isPresent() && authorization.get().regionMatches(true, 0, SAS_SCHEME, 0, SAS_SCHEME.length())) {
      String token = authorization.get();
      return new DeviceCredential.Sas(tokenDevice(token).orElse(pathDevice), token);
    }
    if (!request.clientCertificates().isEmpty()) {
      return new DeviceCredential.Certificate(pathDevice, request.clientCertificates());
    }
    return null;
  }

  private static Optional<String> tokenDevice(String token) {
    try {
      String[] segments = SasToken.parse(token).resource().split("/", -1);
      if (segments.length == 3 && segments[1].equals("devices") && !segments[2].isEmpty()) {
        return Optional.of(segments[2]);
      }
    } catch (SasException | RuntimeException e) {
      // malformed: the authenticator refuses it with the precise reason
    }
    return Optional.empty();
  }
}
