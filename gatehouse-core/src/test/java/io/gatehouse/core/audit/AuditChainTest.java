package io.gatehouse.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.audit.AuditEvent.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditChainTest {
  private final AuditChain chain = new AuditChain(new byte[32]);

  @Test
  void intactChainVerifies() {
    List<AuditEntry> log = log(5);
    AuditVerification v = verify(log);
    assertThat(v.intact()).isTrue();
    assertThat(v.entriesChecked()).isEqualTo(5);
    assertThat(v.headHash()).isEqualTo(log.get(4).hash());
  }

  @Test
  void editedEntryIsFound() {
    List<AuditEntry> log = log(5);
    AuditEntry e = log.get(2);
    AuditEvent forged = new AuditEvent(e.event().time(), "service:mallory", e.event().action(), e.event().target(),
        e.event().outcome(), e.event().reason(), e.event().sourceAddress());
    log.set(2, new AuditEntry(e.sequence(), forged, e.previousHash(), e.hash()));
    AuditVerification v = verify(log);
    assertThat(v.intact()).isFalse();
    assertThat(v.firstBadSequence()).isEqualTo(3);
    assertThat(v.problem()).contains("altered");
  }

  @Test
  void deletedEntryIsFound() {
    List<AuditEntry> log = log(5);
    log.remove(1);
    AuditVerification v = verify(log);
    assertThat(v.intact()).isFalse();
    assertThat(v.firstBadSequence()).isEqualTo(2);
    assertThat(v.problem()).contains("missing");
  }

  @Test
  void rebuiltChainWithAnotherKeyDoesNotVerify() {
    AuditChain attacker = new AuditChain(new byte[] {1, 2, 3});
    List<AuditEntry> forged = new ArrayList<>();
    String prev = AuditChain.GENESIS;
    for (int i = 1; i <= 3; i++) {
      AuditEntry e = attacker.seal(i, event(i), prev);
      forged.add(e);
      prev = e.hash();
    }
    assertThat(verify(forged).intact()).isFalse();
  }

  @Test
  void fieldBoundariesMatter() {
    AuditEvent a = new AuditEvent(Instant.EPOCH, "ab", "c", "", Outcome.SUCCESS, "", "");
    AuditEvent b = new AuditEvent(Instant.EPOCH, "a", "bc", "", Outcome.SUCCESS, "", "");
    assertThat(chain.hash(1, a, AuditChain.GENESIS)).isNotEqualTo(chain.hash(1, b, AuditChain.GENESIS));
  }

  private AuditVerification verify(List<AuditEntry> log) {
    AuditChain.Verifier v = chain.verifier();
    log.forEach(v::accept);
    return v.result();
  }

  private List<AuditEntry> log(int n) {
    List<AuditEntry> out = new ArrayList<>();
    String prev = AuditChain.GENESIS;
    for (int i = 1; i <= n; i++) {
      AuditEntry e = chain.seal(i, event(i), prev);
      out.add(e);
      prev = e.hash();
    }
    return out;
  }

  private static AuditEvent event(int i) {
    return new AuditEvent(Instant.ofEpochSecond(1_700_000_000L + i), "service:operator", "device.create", "device:d" + i,
        Outcome.SUCCESS, "", "127.0.0.1:5000");
  }
}
