package io.gatehouse.server.auth;

import io.gatehouse.core.identity.ServiceIdentity;
import io.gatehouse.core.sas.SasException;
import io.gatehouse.core.sas.SasToken;
import io.gatehouse.core.sas.SasVerifier;
import io.gatehouse.server.audit.AuditLog;
import io.gatehouse.server.http.ApiRequest;
import io.gatehouse.server.http.ProblemException;
import io.gatehouse.server.http.Problems;
import io.gatehouse.store.ServiceIdentityStore;
import java.util.List;
import java.util.Optional;

/**
 * Authenticates service API calls by their service SAS token ({@code skn} = service name,
 * {@code sr} = the gateway host). Cheap checks (header present, parses, not expired, right
 * audience) run before the store is asked; every refusal is audited with the reason.
 */
public final class ServiceAuthenticator {
  /**
   * Used when {@code skn} names nobody, so the refusal costs the same as a wrong signature. Random
   * per process: a fixed decoy (say, all zeros) would be a key anyone could sign with.
   */
  private final byte[] decoyKey = new byte[32];

  private final ServiceIdentityStore services;
  private final SasVerifier verifier;
  private final String hostName;
  private final AuditLog audit;

  public ServiceAuthenticator(ServiceIdentityStore services, SasVerifier verifier, String hostName, AuditLog audit) {
    this.services = services;
    this.verifier = verifier;
    this.hostName = hostName;
    this.audit = audit;
    new java.security.SecureRandom().nextBytes(decoyKey);
  }

  public Caller authenticate(ApiRequest request) {
    String source = request.source();
    Optional<String> header = request.header("Authorization");
    if (header.isEmpty()) {
      throw refuse("anonymous", "no Authorization header; send 'SharedAccessSignature sr=…&sig=…&se=…&skn=…'",
          request);
    }
    SasToken token;
    try {
      token = SasToken.parse(header.get());
    } catch (SasException e) {
      throw refuse("anonymous", e.getMessage(), request);
    }
    Optional<String> keyName = token.keyNameIfAny();
    if (keyName.isEmpty()) {
      throw refuse("anonymous", "SAS token has no 'skn': the service API needs a service identity's token, "
          + "not a device token", request);
    }
    String actor = "service:" + keyName.get();
    Optional<ServiceIdentity> identity = services.find(keyName.get());
    List<byte[]> keys = identity
        .map(i -> List.of(i.keys().primaryKeyBytes(), i.keys().secondaryKeyBytes()))
        .orElse(List.of(decoyKey));
    try {
      verifier.verify(token, hostName, keys);
    } catch (SasException e) {
      throw refuse(actor, e.getMessage(), request);
    }
    if (identity.isEmpty()) {
      // Unreachable unless someone guesses a random 256-bit key; kept so no token can ever admit a nobody.
      throw refuse(actor, "no service identity named '" + keyName.get() + "'", request);
    }
    if (!identity.get().isEnabled()) {
      audit.denied(actor, "auth.service", actor, "identity is " + identity.get().status().wireName(), source);
      throw Problems.forbidden("service identity '" + keyName.get() + "' is " + identity.get().status().wireName(),
          null);
    }
    return new Caller(identity.get(), source);
  }

  private ProblemException refuse(String actor, String reason, ApiRequest request) {
    audit.failure(actor, "auth.service", request.method() + " " + request.path(), reason, request.source());
    return Problems.unauthorized(reason);
  }
}
