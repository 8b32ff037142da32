package io.gatehouse.store;

import io.gatehouse.core.provisioning.Enrollment;
import io.gatehouse.core.provisioning.EnrollmentKind;
import java.util.List;
import java.util.Optional;

/**
 * Provisioning enrollments, individual and group. Symmetric keys are sealed at rest like device
 * keys; every write assigns a fresh etag, and {@code ifMatch} makes it conditional ({@code null}
 * or {@code "*"}: unconditional).
 */
public interface EnrollmentStore {
  /** Registration does one attestation check per group, so their number is bounded. */
  int MAX_GROUPS = 1000;

  /**
   * @throws io.gatehouse.core.error.AlreadyExistsException if the kind and id are taken
   * @throws io.gatehouse.core.error.LimitExceededException past {@link #MAX_GROUPS} groups
   */
  Enrollment create(Enrollment enrollment);

  Optional<Enrollment> find(EnrollmentKind kind, String id);

  /** @throws io.gatehouse.core.error.NotFoundException, PreconditionFailedException */
  Enrollment replace(Enrollment enrollment, String ifMatch);

  /** @throws io.gatehouse.core.error.NotFoundException, PreconditionFailedException */
  void delete(EnrollmentKind kind, String id, String ifMatch);

  /** One kind's enrollments in id order. */
  Page<Enrollment> list(EnrollmentKind kind, int pageSize, String continuationToken);

  /** Every group, enabled or not (at most {@link #MAX_GROUPS}): what a registration checks its proof against. */
  List<Enrollment> groups();
}
