package io.gatehouse.server.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.core.audit.AuditChain;
import io.gatehouse.core.authz.Authorizer;
import io.gatehouse.core.crypto.MasterKey;
import io.gatehouse.core.crypto.SymmetricKeyFactory;
import io.gatehouse.core.identity.Authentication;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.provisioning.Attestation;
import io.gatehouse.core.provisioning.Enrollment;
import io.gatehouse.core.provisioning.EnrollmentKind;
import io.gatehouse.core.provisioning.IdScope;
import io.gatehouse.core.provisioning.Registration;
import io.gatehouse.core.provisioning.ReprovisionPolicy;
import io.gatehouse.core.sas.SasSigner;
import io.gatehouse.core.x509.CaCertificate;
import io.gatehouse.core.x509.Certificates;
import io.gatehouse.server.audit.AuditLog;
import io.gatehouse.server.auth.Guard;
import io.gatehouse.server.device.LeafDirectory;
import io.gatehouse.server.registry.DeviceRegistry;
import io.gatehouse.store.sqlite.SqliteStore;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provisioning service on a real SQLite store and registry: the TPM challenge flow (its blob
 * builder is another component; here a stand-in that wraps the key in the clear lets the test read
 * it back, which is all the flow needs), X.509 group enrollments with a registered CA, and the
 * reprovisioning policies.
 */
class ProvisioningServiceTest {
  private static final IdScope SCOPE = new IdScope("0ne0000ABCD");

  @TempDir Path dir;
  private SqliteStore store;
  private ProvisioningService service;
  private DeviceRegistry registry;

  /** Stand-in blob: EK length, EK, key. Lets the test check the blob was made for this EK and holds the key. */
  private static final TpmChallenges CLEAR_BLOBS = (ek, srk, key) ->
      ByteBuffer.allocate(4 + ek.length + key.length).putInt(ek.length).put(ek).put(key).array();

  @BeforeEach
  void open() {
    MasterKey master = new MasterKey(new byte[32]);
    Clock clock = Clock.systemUTC();
    store = SqliteStore.open(dir.resolve("gatehouse.db"), master.secretBox(new SecureRandom()),
        new AuditChain(master.derive("audit-chain")), clock);
    AuditLog audit = new AuditLog(store.audit(), clock);
    registry = new DeviceRegistry(store.devices(), new Guard(new Authorizer(), audit), audit,
        new SymmetricKeyFactory(new SecureRandom()), "gw.test", clock, id -> { }, LeafDirectory.load(store.devices()));
    service = ProvisioningService.create(SCOPE, store.enrollments(), store.registrations(), store.caCertificates(),
        registry, CLEAR_BLOBS, audit, new ObjectMapper(), clock, new SecureRandom());
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static ProvisioningService.Call call(String registrationId, String authorization,
      List<X509Certificate> chain) {
    return new ProvisioningService.Call(SCOPE.value(), registrationId, authorization, chain, "127.0.0.1:1");
  }

  private static byte[] tpmBody(String registrationId, byte[] ek) {
    return ("{\"registrationId\":\"" + registrationId + "\",\"tpm\":{\"endorsementKey\":\""
        + java.util.Base64.getEncoder().encodeToString(ek) + "\",\"storageRootKey\":\"AQID\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] keyIn(byte[] blob) {
    ByteBuffer buffer = ByteBuffer.wrap(blob);
    int ekLength = buffer.getInt();
    return Arrays.copyOfRange(blob, 4 + ekLength, blob.length);
  }

  private static String token(String registrationId, byte[] key, long ttlSeconds) {
    return SasSigner.token(SCOPE.value() + "/registrations/" + registrationId, key,
        Instant.now().plusSeconds(ttlSeconds), "registration");
  }

  @Test
  void aTpmProvisionsInTwoCallsAndItsDeviceHoldsTheKeyOfTheFinalBlob() {
    byte[] ek = {0, 4, 10, 20, 30, 40};
    store.enrollments().create(new Enrollment(EnrollmentKind.INDIVIDUAL, "tpm-1", new Attestation.Tpm(ek, null), true,
        null, null, Map.of("kind", "tpm"), null, null, null, null, null));
    byte[] body = tpmBody("tpm-1", ek);

    var challenge = (RegistrationOutcome.TpmChallenge) service.register(call("tpm-1", null, List.of()), body);
    byte[] identityKey = keyIn(challenge.authenticationKey());
    assertThat(identityKey).hasSize(32);

    String token = token("tpm-1", identityKey, 600);
    var assigned = (RegistrationOutcome.Assigned) service.register(call("tpm-1", token, List.of()), body);
    assertThat(assigned.registration().attestation()).isEqualTo("tpm");
    byte[] hubKey = keyIn(assigned.tpmAuthenticationKey());
    assertThat(hubKey).hasSize(32).isNotEqualTo(identityKey);

    Device device = store.devices().find("tpm-1").orElseThrow();
    assertThat(device.provisioning().attestation()).isEqualTo("tpm");
    assertThat(((Authentication.SymmetricKeys) device.authentication()).primaryKeyBytes()).isEqualTo(hubKey);

    // the identity key answers one call: the same token again, or a new one, needs a new challenge
    assertThatThrownBy(() -> service.register(call("tpm-1", token, List.of()), body))
        .isInstanceOf(DpsException.class).hasMessageContaining("no TPM challenge is waiting");
    assertThatThrownBy(() -> service.register(call("tpm-1", token("tpm-1", identityKey, 601), List.of()), body))
        .isInstanceOf(DpsException.class).hasMessageContaining("no TPM challenge is waiting");
  }

  @Test
  void aTpmThatCannotActivateTheKeyIsRefused() {
    byte[] ek = {0, 4, 1, 1, 1, 1};
    store.enrollments().create(new Enrollment(EnrollmentKind.INDIVIDUAL, "tpm-2", new Attestation.Tpm(ek, null), true,
        null, null, null, null, null, null, null, null));
    byte[] body = tpmBody("tpm-2", ek);
    service.register(call("tpm-2", null, List.of()), body);
    byte[] guessed = new byte[32];
    assertThatThrownBy(() -> service.register(call("tpm-2", token("tpm-2", guessed, 600), List.of()), body))
        .isInstanceOf(DpsException.class).hasMessageContaining("did not activate it");
    assertThat(store.devices().find("tpm-2")).isEmpty();
  }

  @Test
  void underTheNeverPolicyATpmGetsBackTheKeyItAlreadyHas() {
    byte[] ek = {0, 4, 2, 2, 2, 2};
    store.enrollments().create(new Enrollment(EnrollmentKind.INDIVIDUAL, "tpm-3", new Attestation.Tpm(ek, null), true,
        null, null, null, null, ReprovisionPolicy.NEVER, null, null, null));
    byte[] body = tpmBody("tpm-3", ek);
    byte[] first = provisionTpm("tpm-3", body, 600);
    byte[] second = provisionTpm("tpm-3", body, 601);
    assertThat(second).isEqualTo(first);
  }

  private byte[] provisionTpm(String registrationId, byte[] body, long ttl) {
    var challenge = (RegistrationOutcome.TpmChallenge) service.register(call(registrationId, null, List.of()), body);
    var assigned = (RegistrationOutcome.Assigned) service.register(
        call(registrationId, token(registrationId, keyIn(challenge.authenticationKey()), ttl), List.of()), body);
    return keyIn(assigned.tpmAuthenticationKey());
  }

  @Test
  void aCaGroupAdmitsCertificatesItsCaIssuedForMatchingRegistrationIds() throws Exception {
    KeyPair caKeys = KeyPairGenerator.getInstance("EC").generateKeyPair();
    X509Certificate ca = certificate("Factory CA", caKeys, "Factory CA", caKeys, true);
    store.caCertificates().add(new CaCertificate("factory", ca, Certificates.sha256Thumbprint(ca), null));
    store.enrollments().create(new Enrollment(EnrollmentKind.GROUP, "cameras", new Attestation.X509Ca("factory"),
        true, null, "cam-*", null, null, null, null, null, null));
    KeyPair leafKeys = KeyPairGenerator.getInstance("EC").generateKeyPair();
    X509Certificate leaf = certificate("cam-7", leafKeys, "Factory CA", caKeys, false);

    var assigned = (RegistrationOutcome.Assigned) service.register(call("cam-7", null, List.of(leaf, ca)),
        "{\"registrationId\":\"cam-7\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(assigned.registration().enrollmentReference()).isEqualTo("group/cameras");
    assertThat(store.devices().find("cam-7").orElseThrow().authentication())
        .isInstanceOf(Authentication.X509CaSigned.class);

    X509Certificate outside = certificate("door-1", leafKeys, "Factory CA", caKeys, false);
    assertThatThrownBy(() -> service.register(call("door-1", null, List.of(outside)),
        "{\"registrationId\":\"door-1\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(DpsException.class).hasMessageContaining("outside enrollment group 'cameras'");

    KeyPair otherCa = KeyPairGenerator.getInstance("EC").generateKeyPair();
    X509Certificate forged = certificate("cam-8", leafKeys, "Factory CA", otherCa, false);
    assertThatThrownBy(() -> service.register(call("cam-8", null, List.of(forged)),
        "{\"registrationId\":\"cam-8\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(DpsException.class).hasMessageContaining("does not chain to a registered CA");
  }

  @Test
  void migrateKeepsWhatAnOperatorChangedAndRecordsTheSubstatus() {
    String key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    store.enrollments().create(new Enrollment(EnrollmentKind.INDIVIDUAL, "m-1",
        new Attestation.SymmetricKey(key, key), true, null, null, Map.of("a", "1"), null, null, null, null, null));
    byte[] body = "{\"registrationId\":\"m-1\"}".getBytes(StandardCharsets.UTF_8);
    byte[] keyBytes = java.util.Base64.getDecoder().decode(key);
    service.register(call("m-1", token("m-1", keyBytes, 600), List.of()), body);
    Device device = store.devices().find("m-1").orElseThrow();
    store.devices().replace(new Device(device.id(), device.kind(), device.status(), null, device.authentication(),
        null, Map.of("a", "changed"), device.etag(), null, null, null, device.provisioning()), device.etag());

    var again = (RegistrationOutcome.Assigned) service.register(call("m-1", token("m-1", keyBytes, 601), List.of()),
        body);
    assertThat(again.registration().substatus()).isEqualTo(Registration.Substatus.DEVICE_DATA_MIGRATED);
    assertThat(store.devices().find("m-1").orElseThrow().tags()).containsEntry("a", "changed");
    assertThat(store.registrations().find("m-1").orElseThrow().createdAt())
        .isBeforeOrEqualTo(again.registration().updatedAt());
  }

  private static X509Certificate certificate(String cn, KeyPair subject, String issuer, KeyPair issuerKeys,
      boolean ca) throws Exception {
    Instant now = Instant.now();
    var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuer), BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=" + cn),
        subject.getPublic());
    if (ca) {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    }
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
  }
}
