package io.gatehouse.server.device;

import io.gatehouse.core.identity.Authentication;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityIds;
import io.gatehouse.core.sas.SasException;
import io.gatehouse.core.sas.SasToken;
import io.gatehouse.core.sas.SasVerifier;
import io.gatehouse.core.x509.ClientCertificateVerifier;
import io.gatehouse.server.audit.AuditLog;
import io.gatehouse.server.device.DeviceAuthException.Reason;
import io.gatehouse.store.CaCertificateStore;
import io.gatehouse.store.DeviceStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Proves a device's identity for every transport: a SAS token signed with the device's key (audience
 * {@code {host}/devices/{id}}), or a TLS client certificate (pinned thumbprint or registered CA).
 * Every refusal and every success is audited with the source address. Blocks on the store: call it
 * from a virtual thread, never from an event loop.
 */
public final class DeviceAuthenticator {
  private final DeviceStore devices;
  private final CaCertificateStore cas;
  private final SasVerifier sasVerifier;
  private final ClientCertificateVerifier certificateVerifier;
  private final String hostName;
  private final AuditLog audit;
  private final Clock clock;

  public DeviceAuthenticator(DeviceStore devices, CaCertificateStore cas, SasVerifier sasVerifier,
      ClientCertificateVerifier certificateVerifier, String hostName, AuditLog audit, Clock clock) {
    this.devices = devices;
    this.cas = cas;
    this.sasVerifier = sasVerifier;
    this.certificateVerifier = certificateVerifier;
    this.hostName = hostName;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * @param action what the device is doing, for the audit line (e.g. {@code mqtt.connect}, {@code https.telemetry})
   * @param auditSuccess whether a success is worth an audit line (connects yes, each HTTPS call no)
   */
  public AuthenticatedDevice authenticate(DeviceCredential credential, String action, String source,
      boolean auditSuccess) throws DeviceAuthException {
    String target = "device:" + credential.deviceId();
    try {
      AuthenticatedDevice device = check(credential);
      if (auditSuccess) {
        audit.success("device:" + device.id(), action, target, source);
      }
      return device;
    } catch (DeviceAuthException e) {
      audit.failure("device:" + credential.deviceId(), action, target, e.getMessage(), source);
      throw e;
    }
  }

  private AuthenticatedDevice check(DeviceCredential credential) throws DeviceAuthException {
    if (!IdentityIds.isValid(credential.deviceId())) {
      throw new DeviceAuthException(Reason.MALFORMED, "device id is not a valid identity id");
    }
    Optional<Device> found = devices.find(credential.deviceId());
    if (found.isEmpty()) {
      throw new DeviceAuthException(Reason.BAD_CREDENTIALS, "no device '" + credential.deviceId() + "' is registered");
    }
    Device device = found.get();
    Instant expiry = switch (credential) {
      case DeviceCredential.Sas sas -> checkSas(device, sas);
      case DeviceCredential.Certificate cert -> checkCertificate(device, cert);
    };
    if (!device.isEnabled()) {
      throw new DeviceAuthException(Reason.NOT_AUTHORIZED, "device '" + device.id() + "' is "
          + device.status().wireName());
    }
    return new AuthenticatedDevice(device, credential instanceof DeviceCredential.Sas ? "sas" : "x509",
        clock.instant(), expiry);
  }

  private Instant checkSas(Device device, DeviceCredential.Sas sas) throws DeviceAuthException {
    if (!(device.authentication() instanceof Authentication.SymmetricKeys keys)) {
      throw new DeviceAuthException(Reason.BAD_CREDENTIALS, "device '" + device.id() + "' authenticates with "
          + device.authentication().type() + ", not with a SAS token");
    }
    try {
      SasToken token = SasToken.parse(sas.token());
      if (token.keyNameIfAny().isPresent()) {
        throw new DeviceAuthException(Reason.BAD_CREDENTIALS,
            "SAS token names a policy (skn); devices connect with their own device key");
      }
      sasVerifier.verify(token, hostName + "/devices/" + device.id(),
          List.of(keys.primaryKeyBytes(), keys.secondaryKeyBytes()));
      return Instant.ofEpochSecond(token.expiry());
    } catch (SasException e) {
      throw new DeviceAuthException(
          e.reason() == SasException.Reason.MALFORMED ? Reason.MALFORMED : Reason.BAD_CREDENTIALS, e.getMessage());
    }
  }

  private Instant checkCertificate(Device device, DeviceCredential.Certificate cert) throws DeviceAuthException {
    try {
      certificateVerifier.verify(device, cert.chain(),
          device.authentication() instanceof Authentication.X509CaSigned ? cas.list() : List.of());
      return cert.chain().get(0).getNotAfter().toInstant();
    } catch (ClientCertificateVerifier.Refused e) {
      throw new DeviceAuthException(Reason.BAD_CREDENTIALS, e.getMessage());
    }
  }
}
