package io.gatehouse.core.audit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals audit entries into a chain: each entry's hash is HMAC-SHA256, keyed with a key derived from
 * the master key, over the previous hash and the entry's canonical bytes.
 *
 * <p>Why keyed rather than a bare SHA-256 chain: someone who can write the database could rebuild
 * a bare chain after editing an entry. Without the key (kept outside the database) they cannot, so
 * any edit, insertion or deletion breaks verification at the first altered entry.
 */
public final class AuditChain {
  /** The previous hash of the first entry. */
  public static final String GENESIS = "0".repeat(64);

  private final byte[] key;

  public AuditChain(byte[] key) {
    this.key = key.clone();
  }

  public AuditEntry seal(long sequence, AuditEvent event, String previousHash) {
    return new AuditEntry(sequence, event, previousHash, hash(sequence, event, previousHash));
  }

  public String hash(long sequence, AuditEvent event, String previousHash) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(previousHash.getBytes(StandardCharsets.US_ASCII));
      mac.update(canonical(sequence, event));
      return HexFormat.of().formatHex(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
    }
  }

  /**
   * Checks entries in sequence order, starting after {@code previous} (or at the genesis).
   * Returns the first break found, or an intact result with the last entry seen.
   */
  public Verifier verifier() {
    return new Verifier();
  }

  /** Feed entries in order; keeps only the running state, so a log of any size verifies in O(1) memory. */
  public final class Verifier {
    private long expectedSequence = 1;
    private String previousHash = GENESIS;
    private long checked;
    private AuditVerification broken;

    public void accept(AuditEntry entry) {
      if (broken != null) {
        return;
      }
      if (entry.sequence() != expectedSequence) {
        broken = AuditVerification.broken(checked, expectedSequence,
            entry.sequence() > expectedSequence
                ? "entries " + expectedSequence + " to " + (entry.sequence() - 1) + " are missing"
                : "entry " + entry.sequence() + " is out of order or duplicated");
        return;
      }
      if (!entry.previousHash().equals(previousHash)) {
        broken = AuditVerification.broken(checked, entry.sequence(),
            "entry " + entry.sequence() + " does not link to the entry before it");
        return;
      }
      if (!hash(entry.sequence(), entry.event(), entry.previousHash()).equals(entry.hash())) {
        broken = AuditVerification.broken(checked, entry.sequence(),
            "entry " + entry.sequence() + " was altered after it was written");
        return;
      }
      checked++;
      expectedSequence++;
      previousHash = entry.hash();
    }

    public AuditVerification result() {
      return broken != null ? broken : AuditVerification.intact(checked, previousHash);
    }
  }

  private static byte[] canonical(long sequence, AuditEvent e) {
    // Length-prefixed fields: no separator in a field can make two different entries hash alike.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeLong(sequence);
      out.writeLong(e.time().getEpochSecond());
      out.writeInt(e.time().getNano());
      for (String field : new String[] {e.actor(), e.action(), e.target(), e.outcome().name(), e.reason(),
          e.sourceAddress()}) {
        byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
      }
    } catch (IOException impossible) {
      throw new IllegalStateException(impossible);
    }
    return bytes.toByteArray();
  }
}
