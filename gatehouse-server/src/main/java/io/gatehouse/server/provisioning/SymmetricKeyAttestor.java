package io.gatehouse.server.provisioning;

import io.gatehouse.core.identity.Authentication;
import io.gatehouse.core.provisioning.Attestation;
import io.gatehouse.core.provisioning.Enrollment;
import io.gatehouse.core.provisioning.EnrollmentKind;
import io.gatehouse.core.provisioning.GroupKeys;
import io.gatehouse.core.provisioning.IdScope;
import io.gatehouse.core.sas.SasException;
import io.gatehouse.core.sas.SasToken;
import io.gatehouse.core.sas.SasVerifier;
import io.gatehouse.store.EnrollmentStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Symmetric-key attestation: a SAS token with audience {@code {idScope}/registrations/{registrationId}},
 * signed with an individual enrollment's key, or with a key derived from a group's key for this
 * registration id. An individual enrollment of the registration id takes precedence over every
 * group, as in Azure DPS. For groups the token is checked against every symmetric-key group's
 * derived keys at once, all of them always, in constant time each: the device does not say which
 * group it belongs to.
 */
final class SymmetricKeyAttestor {
  private final EnrollmentStore enrollments;
  private final SasVerifier verifier;

  SymmetricKeyAttestor(EnrollmentStore enrollments, SasVerifier verifier) {
    this.enrollments = enrollments;
    this.verifier = verifier;
  }

  /**
   * Checks the token (not whether it was used before: the caller decides whether this call may reuse it).
   *
   * @throws DpsException 401 for a bad, expired or unmatched token, 403 for a disabled enrollment
   */
  Admission admit(IdScope scope, String registrationId, String tokenText, SasToken token) {
    if (token.keyNameIfAny().isPresent() && !token.keyName().equals("registration")) {
      throw unauthorized("the SAS token names key '" + token.keyName() + "'; a registration token has skn=registration "
          + "or an empty skn");
    }
    String resource = scope.value() + "/registrations/" + registrationId;
    Optional<Enrollment> individual = enrollments.find(EnrollmentKind.INDIVIDUAL, registrationId.toLowerCase(
        java.util.Locale.ROOT));
    if (individual.isPresent()) {
      return admitIndividual(individual.get(), registrationId, resource, tokenText, token);
    }
    List<Enrollment> groups = enrollments.groups().stream()
        .filter(g -> g.attestation() instanceof Attestation.SymmetricKey).toList();
    if (groups.isEmpty()) {
      throw unauthorized("registration id '" + registrationId + "' is not enrolled: there is no individual enrollment "
          + "for it and no symmetric-key enrollment group");
    }
    List<byte[]> keys = new ArrayList<>(groups.size() * 2);
    for (Enrollment group : groups) {
      Attestation.SymmetricKey groupKeys = (Attestation.SymmetricKey) group.attestation();
      keys.add(GroupKeys.deriveBytes(groupKeys.primaryKeyBytes(), registrationId));
      keys.add(GroupKeys.deriveBytes(groupKeys.secondaryKeyBytes(), registrationId));
    }
    int match = verify(token, resource, keys, "no enrollment admits registration id '" + registrationId
        + "' with this signature: it is not enrolled, or the token was not signed with a key derived from its "
        + "group's key");
    Enrollment group = groups.get(match / 2);
    if (!group.admits(registrationId)) {
      throw unauthorized("registration id '" + registrationId + "' is outside enrollment group '" + group.id()
          + "', which admits only registration ids matching '" + group.registrationIdPattern() + "'");
    }
    requireEnabled(group);
    Attestation.SymmetricKey groupKeys = (Attestation.SymmetricKey) group.attestation();
    Authentication credential = new Authentication.SymmetricKeys(
        GroupKeys.derive(groupKeys.primaryKey(), registrationId), GroupKeys.derive(groupKeys.secondaryKey(), registrationId));
    return new Admission(group, registrationId, credential, Hashes.sha256(tokenText), null, null,
        expiry(token));
  }

  private Admission admitIndividual(Enrollment enrollment, String registrationId, String resource, String tokenText,
      SasToken token) {
    if (!(enrollment.attestation() instanceof Attestation.SymmetricKey keys)) {
      throw unauthorized("registration id '" + registrationId + "' is enrolled for " + enrollment.attestation().kind()
          + " attestation, not a symmetric key");
    }
    verify(token, resource, List.of(keys.primaryKeyBytes(), keys.secondaryKeyBytes()),
        "the SAS token is not signed with a key of the individual enrollment '" + enrollment.id() + "'");
    requireEnabled(enrollment);
    return new Admission(enrollment, registrationId,
        new Authentication.SymmetricKeys(keys.primaryKey(), keys.secondaryKey()), Hashes.sha256(tokenText), null, null,
        expiry(token));
  }

  private int verify(SasToken token, String resource, List<byte[]> keys, String noMatch) {
    requireExactAudience(token, resource);
    try {
      return verifier.verify(token, resource, keys);
    } catch (SasException e) {
      throw unauthorized(e.reason() == SasException.Reason.BAD_SIGNATURE ? noMatch : e.getMessage());
    }
  }

  /**
   * A registration token names exactly one registration: the verifier would also accept a prefix
   * ({@code {idScope}/registrations}), as service tokens may be, which a registration never needs.
   * The ID scope compares case-insensitively, the registration id as the device sends it.
   */
  static void requireExactAudience(SasToken token, String resource) {
    String scope = resource.substring(0, resource.indexOf('/'));
    String audience = token.resource();
    boolean exact = audience.length() == resource.length() && audience.regionMatches(true, 0, scope, 0, scope.length())
        && audience.substring(scope.length()).equals(resource.substring(scope.length()));
    if (!exact) {
      throw unauthorized("the SAS token is for '" + audience + "', not for '" + resource + "'");
    }
  }

  /** Until when a used token must be remembered: its expiry plus the clock skew it is accepted with. */
  static java.time.Instant expiry(SasToken token) {
    return java.time.Instant.ofEpochSecond(token.expiry()).plus(SasVerifier.DEFAULT_CLOCK_SKEW);
  }

  static void requireEnabled(Enrollment enrollment) {
    if (!enrollment.enabled()) {
      throw new DpsException(DpsErrorCode.DISABLED, (enrollment.kind() == EnrollmentKind.GROUP
          ? "enrollment group '" : "individual enrollment '") + enrollment.id() + "' is disabled");
    }
  }

  static DpsException unauthorized(String message) {
    return new DpsException(DpsErrorCode.UNAUTHORIZED, message);
  }
}
