package io.gatehouse.store.sqlite;

import static io.gatehouse.store.sqlite.TestStores.device;
import static io.gatehouse.store.sqlite.TestStores.newKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.audit.AuditChain;
import io.gatehouse.core.audit.AuditEntry;
import io.gatehouse.core.audit.AuditEvent;
import io.gatehouse.core.audit.AuditEvent.Outcome;
import io.gatehouse.core.error.LimitExceededException;
import io.gatehouse.core.error.PreconditionFailedException;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityStatus;
import io.gatehouse.core.identity.ServiceIdentity;
import io.gatehouse.core.message.AckMode;
import io.gatehouse.core.message.InboxMessage;
import io.gatehouse.core.message.MessageProperties;
import io.gatehouse.store.AuditLine;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A change and its audit line: written in one transaction, so together or not at all, with one commit. */
class AuditedWritesTest extends StoreTestBase {
  private AuditEvent event(String action, String target) {
    return new AuditEvent(clock.instant(), "service:operator", action, target, Outcome.SUCCESS, "", "10.0.0.1:4711");
  }

  private List<String> auditedActions() {
    return store.audit().read(1, 1000).stream().map(e -> e.event().action() + " " + e.event().target()).toList();
  }

  @Test
  void aDeviceChangeAndItsLineShareOneCommit() {
    long commits = store.writerStats().commits();
    Device created = store.devices().create(device("dev-1"), AuditLine.of(event("device.create", "device:dev-1")));
    assertThat(store.writerStats().commits()).isEqualTo(commits + 1);

    store.devices().replace(created.withStatus(IdentityStatus.DISABLED, "lost"), created.etag(),
        AuditLine.of(event("device.disable", "device:dev-1")));
    store.devices().delete("dev-1", null, AuditLine.of(event("device.delete", "device:dev-1")));

    assertThat(store.writerStats().commits()).isEqualTo(commits + 3);
    assertThat(auditedActions()).containsExactly("device.create device:dev-1", "device.disable device:dev-1",
        "device.delete device:dev-1");
    assertThat(verify()).isTrue();
  }

  @Test
  void aRefusedChangeLeavesNoLine() {
    Device created = store.devices().create(device("dev-1"), AuditLine.of(event("device.create", "device:dev-1")));
    assertThatThrownBy(() -> store.devices().replace(created.withStatus(IdentityStatus.DISABLED, null), "stale",
        AuditLine.of(event("device.disable", "device:dev-1")))).isInstanceOf(PreconditionFailedException.class);

    assertThat(auditedActions()).containsExactly("device.create device:dev-1");
    // The chain head the writer caches was not advanced by the line that rolled back.
    store.devices().delete("dev-1", null, AuditLine.of(event("device.delete", "device:dev-1")));
    assertThat(auditedActions()).containsExactly("device.create device:dev-1", "device.delete device:dev-1");
    assertThat(verify()).isTrue();
  }

  @Test
  void aMessageLineNamesTheSequenceTheStoreAssigned() {
    store.devices().create(device("dev-1"));
    long commits = store.writerStats().commits();
    InboxMessage queued = store.inbox().enqueue(message(), 1,
        stored -> event("message.send", "device:dev-1 sequence " + stored.sequence()));
    assertThat(store.writerStats().commits()).isEqualTo(commits + 1);
    assertThat(auditedActions()).containsExactly("message.send device:dev-1 sequence " + queued.sequence());

    // A full inbox refuses the message, and the refused send leaves no success line behind.
    assertThatThrownBy(() -> store.inbox().enqueue(message(), 1, stored -> event("message.send", "again")))
        .isInstanceOf(LimitExceededException.class);
    assertThat(auditedActions()).hasSize(1);
    assertThat(verify()).isTrue();
  }

  @Test
  void serviceIdentityChangesCarryTheirLinesToo() {
    ServiceIdentity created = store.services().create(
        new ServiceIdentity("backend", IdentityStatus.ENABLED, newKeys(), List.of(), null, null, null),
        AuditLine.of(event("service.create", "service:backend")));
    store.services().replace(created.withStatus(IdentityStatus.DISABLED), created.etag(),
        AuditLine.of(event("service.disable", "service:backend")));
    store.services().delete("backend", null, AuditLine.of(event("service.delete", "service:backend")));
    assertThat(auditedActions()).containsExactly("service.create service:backend", "service.disable service:backend",
        "service.delete service:backend");
  }

  @Test
  void linesSurviveAReopenWithTheirChangesAndTheChainVerifies() {
    store.devices().create(device("dev-1"), AuditLine.of(event("device.create", "device:dev-1")));
    store.close();
    store = TestStores.open(dir.resolve("gatehouse.db"), clock);
    assertThat(store.devices().find("dev-1")).isPresent();
    assertThat(auditedActions()).containsExactly("device.create device:dev-1");
    store.devices().delete("dev-1", null, AuditLine.of(event("device.delete", "device:dev-1")));
    assertThat(verify()).isTrue();
  }

  private InboxMessage message() {
    Instant now = clock.instant();
    return new InboxMessage("dev-1", 0, "backend", new MessageProperties("m", null, null, null, null, Map.of()),
        new byte[] {1}, AckMode.NONE, now, now.plusSeconds(3600), 0, null, null);
  }

  private boolean verify() {
    AuditChain.Verifier verifier = TestStores.chain(TestStores.KEY).verifier();
    List<AuditEntry> entries = store.audit().read(1, 1000);
    entries.forEach(verifier::accept);
    return verifier.result().intact() && entries.getLast().sequence() == store.audit().head().orElseThrow().sequence();
  }
}
