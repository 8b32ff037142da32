package io.gatehouse.server.provisioning.tpm;

import java.io.ByteArrayOutputStream;

/** Writes big-endian TPM structures (TPM 2.0 Part 2 marshalling). */
final class TpmWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

  TpmWriter u16(int value) {
    if (value < 0 || value > 0xffff) {
      throw new IllegalArgumentException("value " + value + " does not fit a UINT16");
    }
    out.write(value >>> 8);
    out.write(value);
    return this;
  }

  TpmWriter u32(int value) {
    out.write(value >>> 24);
    out.write(value >>> 16);
    out.write(value >>> 8);
    out.write(value);
    return this;
  }

  TpmWriter raw(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  /** A TPM2B: a UINT16 size, then the bytes. */
  TpmWriter sized(byte[] bytes) {
    return u16(bytes.length).raw(bytes);
  }

  byte[] toBytes() {
    return out.toByteArray();
  }

  static byte[] sizedBytes(byte[] bytes) {
    return new TpmWriter().sized(bytes).toBytes();
  }
}
