package io.gatehouse.server.provisioning;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.core.audit.AuditEvent.Outcome;
import io.gatehouse.core.provisioning.IdScope;
import io.gatehouse.core.provisioning.Registration;
import io.gatehouse.core.provisioning.RegistrationIds;
import io.gatehouse.core.sas.SasException;
import io.gatehouse.core.sas.SasToken;
import io.gatehouse.server.audit.AuditLog;
import io.gatehouse.store.RegistrationStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The provisioning service's device side: register, operation polls, status lookups. Decides
 * which attestation a call uses from what it carries (a SAS token: symmetric key, or a TPM's second
 * call; a client certificate: X.509; neither, with TPM keys: a TPM's first call), lets the
 * attestor check it, refuses a reused register token, assigns the device, and audits every attempt
 * with its reason and source address.
 *
 * <p>A register token is good for one register call: the hash of every token that registered is
 * kept until the token expires, and the same token on another register call is refused as a
 * replay. Tokens may live at most {@link #MAX_TOKEN_LIFETIME}, which bounds that memory. Polls and
 * status lookups may repeat the token (the SDKs poll with it).
 */
public final class ProvisioningService {
  public static final java.time.Duration MAX_TOKEN_LIFETIME = java.time.Duration.ofDays(1);

  private final IdScope scope;
  private final RegistrationStore registrations;
  private final SymmetricKeyAttestor symmetric;
  private final X509Attestor x509;
  private final TpmAttestor tpm;
  private final DeviceAssigner assigner;
  private final AuditLog audit;
  private final ObjectMapper json;
  private final Clock clock;

  ProvisioningService(IdScope scope, RegistrationStore registrations, SymmetricKeyAttestor symmetric,
      X509Attestor x509, TpmAttestor tpm, DeviceAssigner assigner, AuditLog audit, ObjectMapper json, Clock clock) {
    this.scope = scope;
    this.registrations = registrations;
    this.symmetric = symmetric;
    this.x509 = x509;
    this.tpm = tpm;
    this.assigner = assigner;
    this.audit = audit;
    this.json = json;
    this.clock = clock;
  }

  /** Assembles the service and its attestors. */
  public static ProvisioningService create(IdScope scope, io.gatehouse.store.EnrollmentStore enrollments,
      RegistrationStore registrations, io.gatehouse.store.CaCertificateStore cas,
      io.gatehouse.server.registry.DeviceRegistry registry, TpmChallenges challenges, AuditLog audit, ObjectMapper json,
      Clock clock, java.security.SecureRandom random) {
    io.gatehouse.core.sas.SasVerifier verifier = new io.gatehouse.core.sas.SasVerifier(clock,
        io.gatehouse.core.sas.SasVerifier.DEFAULT_CLOCK_SKEW, MAX_TOKEN_LIFETIME);
    TpmAttestor tpm = new TpmAttestor(enrollments, challenges, new PendingTpmChallenges(clock), verifier, random);
    return new ProvisioningService(scope, registrations, new SymmetricKeyAttestor(enrollments, verifier),
        new X509Attestor(enrollments, cas, new io.gatehouse.core.x509.ClientCertificateVerifier(clock)), tpm,
        new DeviceAssigner(registry, registrations, tpm, clock), audit, json, clock);
  }

  public IdScope idScope() {
    return scope;
  }

  /** What a call presents: the Authorization header (or null), the TLS client chain, the source address. */
  public record Call(String idScope, String registrationId, String authorization, List<X509Certificate> chain,
      String source) {}

  public RegistrationOutcome register(Call call, byte[] body) {
    return audited(call, "dps.register", body.length > 0, () -> {
      RegistrationRequest request = RegistrationRequest.parse(body, call.registrationId(), json);
      if (call.authorization() != null) {
        SasToken token = parse(call.authorization());
        Admission admission = request.tpm() != null
            ? tpm.admit(scope, call.registrationId(), request.tpm(), call.authorization(), token)
            : symmetric.admit(scope, call.registrationId(), call.authorization(), token);
        return assign(call, admission);
      }
      if (!call.chain().isEmpty()) {
        return assign(call, x509.admit(call.registrationId(), call.chain()));
      }
      if (request.tpm() != null) {
        return new RegistrationOutcome.TpmChallenge(tpm.challenge(call.registrationId(), request.tpm()));
      }
      throw SymmetricKeyAttestor.unauthorized("no credential: send Authorization: SharedAccessSignature "
          + "sr={idScope}/registrations/{registrationId}&sig=…&se=…&skn=registration, a TLS client certificate, "
          + "or TPM keys in the body");
    });
  }

  /**
   * An MQTT CONNECT of a registration (DPS over MQTT: user name {@code {idScope}/registrations/{id}/…},
   * password the registration token, or a client certificate): the credential is checked as a
   * register call would check it, and nothing is written. The token is consumed by the register
   * publish that follows, not here.
   */
  public void admitConnection(Call call) {
    audited(call, "dps.mqtt.connect", false, () -> {
      if (call.authorization() != null) {
        symmetric.admit(scope, call.registrationId(), call.authorization(), parse(call.authorization()));
      } else {
        x509.admit(call.registrationId(), call.chain());
      }
      return null;
    });
  }

  /** {@code GET …/operations/{operationId}}: the state the operation produced, to the credential that started it. */
  public RegistrationOutcome operation(Call call, String operationId) {
    return audited(call, "dps.operation", false, () -> {
      Registration registration = recorded(call.registrationId());
      if (!registration.operationId().equals(operationId)) {
        throw new DpsException(DpsErrorCode.NOT_FOUND, "registration '" + call.registrationId()
            + "' has no operation '" + operationId + "'; its latest is the one the last register call answered");
      }
      return read(call, registration);
    });
  }

  /** {@code POST /{idScope}/registrations/{registrationId}}: the registration's current state. */
  public RegistrationOutcome status(Call call, byte[] body) {
    return audited(call, "dps.status", false, () -> {
      if (body.length > 0) {
        RegistrationRequest.parse(body, call.registrationId(), json);
      }
      return read(call, recorded(call.registrationId()));
    });
  }

  private RegistrationOutcome read(Call call, Registration registration) {
    X509Certificate certificate = authorizeRead(call, registration);
    return new RegistrationOutcome.Assigned(call.registrationId(), registration, null, certificate, null);
  }

  /**
   * A read repeats the register call's credential (the SDKs poll with the same token), or proves
   * itself afresh: a new symmetric-key token or the client certificate, checked like a register call.
   */
  private X509Certificate authorizeRead(Call call, Registration registration) {
    if (call.authorization() != null) {
      SasToken token = parse(call.authorization());
      if (Hashes.same(Hashes.sha256(call.authorization()), registration.credentialHash())) {
        if (Instant.ofEpochSecond(token.expiry()).plusSeconds(300).isBefore(clock.instant())) {
          throw SymmetricKeyAttestor.unauthorized("the SAS token expired at " + Instant.ofEpochSecond(token.expiry()));
        }
        return null;
      }
      if (registration.attestation().equals("symmetric-key")) {
        symmetric.admit(scope, call.registrationId(), call.authorization(), token);
        return null;
      }
      throw SymmetricKeyAttestor.unauthorized("this SAS token did not register '" + call.registrationId()
          + "'; read the registration with the token of its register call");
    }
    if (!call.chain().isEmpty() && registration.attestation().equals("x509")) {
      x509.admit(call.registrationId(), call.chain());
      return call.chain().getFirst();
    }
    throw SymmetricKeyAttestor.unauthorized("no credential for registration '" + call.registrationId() + "'");
  }

  private RegistrationOutcome assign(Call call, Admission admission) {
    DeviceAssigner.Assignment assignment = assigner.assign(admission);
    return new RegistrationOutcome.Assigned(call.registrationId(), assignment.registration(), admission.enrollment(),
        admission.certificate(), assignment.tpmBlob());
  }

  private Registration recorded(String registrationId) {
    return registrations.find(registrationId).orElseThrow(() -> new DpsException(DpsErrorCode.NOT_FOUND,
        "registration '" + registrationId + "' was never assigned; register it first"));
  }

  private static SasToken parse(String authorization) {
    try {
      return SasToken.parse(authorization);
    } catch (SasException e) {
      throw SymmetricKeyAttestor.unauthorized(e.getMessage());
    }
  }

  private interface Step {
    RegistrationOutcome run();
  }

  /**
   * Checks that the call carries a credential at all (only a TPM's first register call, which has a
   * body, may come without one), then the scope and id; runs the step; writes the audit line of
   * the attempt either way.
   */
  private RegistrationOutcome audited(Call call, String action, boolean mayBeAnonymous, Step step) {
    String actor = "registration:" + call.registrationId();
    String target = "registration:" + call.registrationId();
    try {
      if (call.authorization() == null && call.chain().isEmpty() && !mayBeAnonymous) {
        throw SymmetricKeyAttestor.unauthorized("no credential: send Authorization: SharedAccessSignature "
            + "sr={idScope}/registrations/{registrationId}&sig=…&se=…&skn=registration, or a TLS client certificate");
      }
      if (!scope.matches(call.idScope())) {
        throw new DpsException(DpsErrorCode.NOT_FOUND, "ID scope '" + call.idScope()
            + "' is not this provisioning service's (" + scope.value() + ")");
      }
      if (!RegistrationIds.isValid(call.registrationId())) {
        RegistrationIds.requireValid(call.registrationId());
      }
      RegistrationOutcome outcome = step.run();
      switch (outcome) {
        case null -> audit.record(actor, action, target, Outcome.SUCCESS, "credential accepted", call.source());
        case RegistrationOutcome.Assigned assigned when action.equals("dps.register") -> audit.record(actor, action,
            "device:" + assigned.registration().deviceId(), Outcome.SUCCESS, "assigned by "
                + assigned.registration().enrollmentReference() + " (" + assigned.registration().attestation() + ", "
                + assigned.registration().substatus().wireName() + ")", call.source());
        case RegistrationOutcome.TpmChallenge ignored -> audit.record(actor, "dps.tpm.challenge", target,
            Outcome.SUCCESS, "authenticationKey issued", call.source());
        default -> { } // reads of a state are not worth an audit line each
      }
      return outcome;
    } catch (DpsException e) {
      audit.record(actor, action, target, e.status() == 403 ? Outcome.DENIED : Outcome.FAILURE, e.getMessage(),
          call.source());
      throw e;
    } catch (io.gatehouse.core.error.InvalidInputException e) {
      DpsException refusal = new DpsException(DpsErrorCode.INVALID_REGISTRATION_ID, e.getMessage());
      audit.record(actor, action, target, Outcome.FAILURE, refusal.getMessage(), call.source());
      throw refusal;
    } catch (io.gatehouse.core.error.LimitExceededException e) {
      audit.failureInBackground(actor, action, target, e.getMessage(), call.source());
      throw new DpsException(DpsErrorCode.THROTTLED, "the gateway is busy; retry in a few seconds");
    } catch (RuntimeException e) {
      // Answered 500 with a tracking id by the route; the attempt is audited all the same.
      audit.failureInBackground(actor, action, target, "internal error: " + e.getClass().getSimpleName(),
          call.source());
      throw e;
    }
  }
}
