package io.gatehouse.device.tpm;

import io.gatehouse.device.tpm.ActivationException.Reason;
import java.util.Arrays;
import tss.tpm.TPM2B_PUBLIC;
import tss.tpm.TPMS_ID_OBJECT;
import tss.tpm.TPMT_PUBLIC;

/**
 * The DPS {@code authenticationKey}, split into its six TPM2B fields (azure-iot-facts §4.4): read
 * with every size checked before any TPM command runs, so a broken blob is reported as such.
 */
record ActivationBlob(
    TPMS_ID_OBJECT credential, byte[] credentialSeed, byte[] duplicate, byte[] duplicateSeed,
    TPMT_PUBLIC identityKey, byte[] encryptedData) {

  private static final String[] FIELDS = {
      "credential blob (TPM2B_ID_OBJECT)", "credential seed (TPM2B_ENCRYPTED_SECRET)",
      "identity key duplicate (TPM2B_PRIVATE)", "duplication seed (TPM2B_ENCRYPTED_SECRET)",
      "identity key public area (TPM2B_PUBLIC)", "encrypted data (TPM2B_DATA)"};
  /** Bigger than any DPS blob (about 900 bytes with RSA-2048 keys), small enough to refuse nonsense early. */
  static final int MAX_BYTES = 8 * 1024;

  static ActivationBlob parse(byte[] blob) {
    if (blob == null || blob.length == 0) {
      throw malformed("the authentication key blob is empty");
    }
    if (blob.length > MAX_BYTES) {
      throw malformed("the authentication key blob is " + blob.length + " bytes; at most " + MAX_BYTES + " are expected");
    }
    byte[][] fields = new byte[FIELDS.length][];
    int at = 0;
    for (int i = 0; i < FIELDS.length; i++) {
      if (blob.length - at < 2) {
        throw malformed("the authentication key blob ends before its " + FIELDS[i] + " (field " + (i + 1) + " of 6)");
      }
      int size = ((blob[at] & 0xff) << 8) | (blob[at + 1] & 0xff);
      at += 2;
      if (blob.length - at < size) {
        throw malformed("the " + FIELDS[i] + " declares " + size + " bytes but only " + (blob.length - at) + " remain");
      }
      fields[i] = Arrays.copyOfRange(blob, at, at + size);
      at += size;
      if (size == 0 && i < 5) {
        throw malformed("the " + FIELDS[i] + " is empty");
      }
    }
    if (at != blob.length) {
      throw malformed("the authentication key blob has " + (blob.length - at) + " bytes after its six fields");
    }
    return new ActivationBlob(credential(fields[0]), fields[1], fields[2], fields[3], publicArea(fields[4]), fields[5]);
  }

  /** TPMS_ID_OBJECT: a TPM2B integrity HMAC, then the encrypted identity (its own size field is inside the encryption). */
  private static TPMS_ID_OBJECT credential(byte[] content) {
    int hmacSize = content.length < 2 ? -1 : ((content[0] & 0xff) << 8) | (content[1] & 0xff);
    if (hmacSize <= 0 || content.length - 2 - hmacSize <= 0) {
      throw malformed("the " + FIELDS[0] + " does not hold an integrity HMAC followed by an encrypted credential");
    }
    return new TPMS_ID_OBJECT(Arrays.copyOfRange(content, 2, 2 + hmacSize),
        Arrays.copyOfRange(content, 2 + hmacSize, content.length));
  }

  private static TPMT_PUBLIC publicArea(byte[] content) {
    TPMT_PUBLIC parsed;
    try {
      parsed = TPMT_PUBLIC.fromBytes(content);
    } catch (RuntimeException e) {
      throw malformed("the " + FIELDS[4] + " is not a TPMT_PUBLIC: " + e);
    }
    // Marshalling it again must give the same bytes: the TPM computes the key's Name over them.
    byte[] again = new TPM2B_PUBLIC(parsed).toBytes();
    if (again.length != content.length + 2 || !Arrays.equals(again, 2, again.length, content, 0, content.length)) {
      throw malformed("the " + FIELDS[4] + " has bytes that are not part of its TPMT_PUBLIC");
    }
    return parsed;
  }

  private static ActivationException malformed(String message) {
    return new ActivationException(Reason.MALFORMED_BLOB, message);
  }
}
