package io.gatehouse.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.AlreadyExistsException;
import io.gatehouse.core.error.NotFoundException;
import io.gatehouse.core.error.PreconditionFailedException;
import io.gatehouse.core.identity.Authentication;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.Provisioning;
import io.gatehouse.core.provisioning.Attestation;
import io.gatehouse.core.provisioning.Enrollment;
import io.gatehouse.core.provisioning.EnrollmentKind;
import io.gatehouse.core.provisioning.IdScope;
import io.gatehouse.core.provisioning.Registration;
import io.gatehouse.core.provisioning.ReprovisionPolicy;
import io.gatehouse.store.Page;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SqliteProvisioningStoreTest extends StoreTestBase {
  private static Enrollment group(String id, Attestation attestation) {
    return new Enrollment(EnrollmentKind.GROUP, id, attestation, true, null, "line7-*", Map.of("site", "plant-7"),
        null, ReprovisionPolicy.RESET, null, null, null);
  }

  private static Attestation.SymmetricKey keys() {
    return new Attestation.SymmetricKey(TestStores.newKey(), TestStores.newKey());
  }

  @Test
  void enrollmentsOfEveryAttestationRoundTrip() throws Exception {
    var ca = new Attestation.X509Ca("factory-ca");
    var prints = new Attestation.X509Thumbprints(new Authentication.X509Thumbprints("ab".repeat(32), null));
    var tpm = new Attestation.Tpm(new byte[] {0, 1, 2, 3}, null);
    List<Enrollment> created = List.of(
        store.enrollments().create(group("line-7", keys())),
        store.enrollments().create(group("line-8", ca)),
        store.enrollments().create(new Enrollment(EnrollmentKind.INDIVIDUAL, "Pump-1", prints, false, "pump-one", null,
            null, "edge-1", ReprovisionPolicy.NEVER, null, null, null)),
        store.enrollments().create(new Enrollment(EnrollmentKind.INDIVIDUAL, "tpm-1", tpm, true, null, null, null,
            null, null, null, null, null)));

    for (Enrollment e : created) {
      assertThat(e.etag()).isNotNull();
      assertThat(e.createdAt()).isEqualTo(clock.instant().truncatedTo(ChronoUnit.MILLIS));
      assertThat(store.enrollments().find(e.kind(), e.id())).contains(e);
    }
    assertThat(store.enrollments().find(EnrollmentKind.INDIVIDUAL, "pump-1").orElseThrow().deviceId())
        .isEqualTo("pump-one");
    assertThat(((Attestation.Tpm) store.enrollments().find(EnrollmentKind.INDIVIDUAL, "tpm-1").orElseThrow()
        .attestation()).pinnedWithoutCertificate()).isTrue();
    assertThat(store.enrollments().groups()).extracting(Enrollment::id).containsExactly("line-7", "line-8");
    assertThatThrownBy(() -> store.enrollments().create(group("line-7", keys())))
        .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("enrollment group 'line-7' exists");
  }

  @Test
  void replaceIsGuardedByTheEtagAndDeleteRemoves() {
    Enrollment created = store.enrollments().create(group("g", keys()));
    clock.advance(Duration.ofSeconds(5));
    Enrollment disabled = store.enrollments().replace(created.withEnabled(false), created.etag());
    assertThat(disabled.enabled()).isFalse();
    assertThat(disabled.createdAt()).isEqualTo(created.createdAt());
    assertThat(disabled.updatedAt()).isAfter(created.updatedAt());
    assertThatThrownBy(() -> store.enrollments().replace(created, created.etag()))
        .isInstanceOf(PreconditionFailedException.class);
    store.enrollments().delete(EnrollmentKind.GROUP, "g", disabled.etag());
    assertThat(store.enrollments().find(EnrollmentKind.GROUP, "g")).isEmpty();
    assertThatThrownBy(() -> store.enrollments().delete(EnrollmentKind.GROUP, "g", null))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void listsOneKindInPages() {
    for (int i = 0; i < 5; i++) {
      store.enrollments().create(group("g-" + i, keys()));
    }
    store.enrollments().create(new Enrollment(EnrollmentKind.INDIVIDUAL, "dev-1", keys(), true, null, null, null, null,
        null, null, null, null));
    Page<Enrollment> first = store.enrollments().list(EnrollmentKind.GROUP, 3, null);
    assertThat(first.items()).extracting(Enrollment::id).containsExactly("g-0", "g-1", "g-2");
    Page<Enrollment> second = store.enrollments().list(EnrollmentKind.GROUP, 3, first.continuationToken());
    assertThat(second.items()).extracting(Enrollment::id).containsExactly("g-3", "g-4");
    assertThat(second.next()).isEmpty();
  }

  @Test
  void enrollmentKeysAreNeverStoredInPlaintext() throws Exception {
    Attestation.SymmetricKey keys = keys();
    store.enrollments().create(group("secret-group", keys));
    store.close();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(content).doesNotContain(keys.primaryKey()).doesNotContain(keys.secondaryKey());
      }
    }
    store = TestStores.open(dir.resolve("gatehouse.db"), clock);
    assertThat(store.enrollments().find(EnrollmentKind.GROUP, "secret-group").orElseThrow().attestation())
        .isEqualTo(keys);
  }

  @Test
  void registrationsKeepTheirFirstCreationTimeAndListByEnrollment() {
    Registration first = ((SqliteRegistrationStore) store.registrations()).save(new Registration("Sensor-1", "sensor-1", EnrollmentKind.GROUP,
        "line-7", "symmetric-key", Registration.Substatus.INITIAL_ASSIGNMENT, "op-1", "hash-op-1", null, null, null));
    assertThat(first.registrationId()).isEqualTo("sensor-1");
    clock.advance(Duration.ofMinutes(1));
    Registration second = ((SqliteRegistrationStore) store.registrations()).save(new Registration("sensor-1", "sensor-1", EnrollmentKind.GROUP,
        "line-7", "symmetric-key", Registration.Substatus.DEVICE_DATA_MIGRATED, "op-2", "hash-op-2", null, null, null));
    assertThat(second.createdAt()).isEqualTo(first.createdAt());
    assertThat(second.updatedAt()).isAfter(first.updatedAt());
    assertThat(second.etag()).isNotEqualTo(first.etag());
    assertThat(store.registrations().find("SENSOR-1")).contains(second);
    ((SqliteRegistrationStore) store.registrations()).save(new Registration("sensor-2", "sensor-2", EnrollmentKind.GROUP, "line-7",
        "symmetric-key", Registration.Substatus.INITIAL_ASSIGNMENT, "op-3", "hash-op-3", null, null, null));
    ((SqliteRegistrationStore) store.registrations()).save(new Registration("other", "other", EnrollmentKind.INDIVIDUAL, "other",
        "x509", Registration.Substatus.INITIAL_ASSIGNMENT, "op-4", "hash-op-4", null, null, null));
    assertThat(store.registrations().listByEnrollment("group/line-7", 10, null).items())
        .extracting(Registration::registrationId).containsExactly("sensor-1", "sensor-2");
  }

  @Test
  void aRegisterTokenCanBeConsumedOnceUntilItExpires() {
    Instant now = clock.instant();
    assertThat(((SqliteRegistrationStore) store.registrations()).consumeToken("h1", now.plusSeconds(60), now)).isTrue();
    assertThat(((SqliteRegistrationStore) store.registrations()).consumeToken("h1", now.plusSeconds(60), now)).as("replay").isFalse();
    assertThat(((SqliteRegistrationStore) store.registrations()).consumeToken("h2", now.plusSeconds(60), now)).isTrue();
    // Once expired the entry is dropped; the token itself is then refused as expired, before this check.
    assertThat(((SqliteRegistrationStore) store.registrations()).consumeToken("h1", now.plusSeconds(200), now.plusSeconds(120))).isTrue();
  }

  @Test
  void theIdScopeIsChosenOnceAndSurvivesARestart() {
    IdScope scope = store.registrations().idScope(IdScope.generate(new SecureRandom()));
    assertThat(store.registrations().idScope(IdScope.generate(new SecureRandom()))).isEqualTo(scope);
    store.close();
    store = TestStores.open(dir.resolve("gatehouse.db"), clock);
    assertThat(store.registrations().idScope(IdScope.generate(new SecureRandom()))).isEqualTo(scope);
  }

  @Test
  void aDeviceRecordsHowItWasProvisioned() {
    Device plain = TestStores.device("dev-1");
    Provisioning how = new Provisioning("symmetric-key", "dev-1", "group/line-7", clock.instant());
    Device created = store.devices().create(new Device(plain.id(), plain.kind(), plain.status(), null,
        plain.authentication(), null, Map.of(), null, null, null, null, how));
    assertThat(created.provisioning().enrollment()).isEqualTo("group/line-7");
    assertThat(store.devices().find("dev-1")).contains(created);
    Device replaced = store.devices().replace(created.withStatus(
        io.gatehouse.core.identity.IdentityStatus.DISABLED, "test"), created.etag());
    assertThat(store.devices().find("dev-1").orElseThrow().provisioning()).isEqualTo(replaced.provisioning());
    assertThat(store.devices().create(TestStores.device("dev-2")).provisioning()).isNull();
  }

  @Test
  void upgradingGivesTheBuiltInOperatorTheEnrollmentPermissionsOnlyWhileItIsAdmin() throws Exception {
    store.close();
    Path old = dir.resolve("old.db");
    try (java.sql.Connection raw = java.sql.DriverManager.getConnection("jdbc:sqlite:" + old)) {
      new SchemaMigrator(SchemaMigrator.MIGRATIONS.subList(0, 4), clock).migrate(raw);
      for (String[] grant : new String[][] {{"operator", "admin"}, {"operator", "registry.write"},
          {"narrowed", "registry.read"}}) {
        try (var insert = raw.prepareStatement("INSERT INTO services (name, status, primary_key_sealed,"
            + " secondary_key_sealed, etag, created_at, updated_at) VALUES (?, 'enabled', x'00', x'00', 'e', 0, 0)"
            + " ON CONFLICT (name) DO NOTHING")) {
          insert.setString(1, grant[0]);
          insert.executeUpdate();
        }
        try (var insert = raw.prepareStatement("INSERT INTO service_grants (service_name, permission) VALUES (?, ?)")) {
          insert.setString(1, grant[0]);
          insert.setString(2, grant[1]);
          insert.executeUpdate();
        }
      }
    }
    store = TestStores.open(old, clock);
    try (java.sql.Connection raw = java.sql.DriverManager.getConnection("jdbc:sqlite:" + old);
        var query = raw.prepareStatement("SELECT service_name || ' ' || permission FROM service_grants"
            + " WHERE permission LIKE 'enrollments.%' ORDER BY 1");
        var rs = query.executeQuery()) {
      List<String> grants = new java.util.ArrayList<>();
      while (rs.next()) {
        grants.add(rs.getString(1));
      }
      assertThat(grants).containsExactly("operator enrollments.read", "operator enrollments.write");
    }
  }

  @Test
  void anAssignmentWritesTokenDeviceAndRegistrationTogetherAndAReplayWritesNothing() {
    Instant expires = clock.instant().plusSeconds(600);
    Registration registration = new Registration("dev-9", "dev-9", EnrollmentKind.GROUP, "g", "symmetric-key",
        Registration.Substatus.INITIAL_ASSIGNMENT, "op-1", "h-1", null, null, null);
    var assigned = store.registrations().assign(new io.gatehouse.store.RegistrationStore.Assignment(
        new io.gatehouse.store.RegistrationStore.DeviceWrite.Create(TestStores.device("dev-9")), registration, "t-1",
        expires)).orElseThrow();
    assertThat(assigned.device().etag()).isNotNull();
    assertThat(store.devices().find("dev-9")).contains(assigned.device());
    assertThat(store.registrations().find("dev-9")).contains(assigned.registration());

    Device changed = assigned.device().withStatus(io.gatehouse.core.identity.IdentityStatus.DISABLED, "replayed?");
    assertThat(store.registrations().assign(new io.gatehouse.store.RegistrationStore.Assignment(
        new io.gatehouse.store.RegistrationStore.DeviceWrite.Replace(changed, assigned.device().etag()),
        registration, "t-1", expires))).as("the same token again").isEmpty();
    assertThat(store.devices().find("dev-9").orElseThrow().isEnabled()).as("a replay writes nothing").isTrue();

    // A device write that fails takes the token and the registration with it.
    assertThatThrownBy(() -> store.registrations().assign(new io.gatehouse.store.RegistrationStore.Assignment(
        new io.gatehouse.store.RegistrationStore.DeviceWrite.Create(TestStores.device("dev-9")),
        new Registration("dev-9b", "dev-9", EnrollmentKind.GROUP, "g", "symmetric-key",
            Registration.Substatus.INITIAL_ASSIGNMENT, "op-2", "h-2", null, null, null), "t-2", expires)))
        .isInstanceOf(AlreadyExistsException.class);
    assertThat(store.registrations().find("dev-9b")).isEmpty();
    assertThat(((SqliteRegistrationStore) store.registrations()).consumeToken("t-2", expires, clock.instant())).as("t-2 was not kept").isTrue();
  }
}
