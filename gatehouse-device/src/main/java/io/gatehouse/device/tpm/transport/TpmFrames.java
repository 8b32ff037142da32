package io.gatehouse.device.tpm.transport;

/**
 * The framing every TPM 2.0 transport shares: a response is read by the size in its header, and
 * both directions are checked so a broken peer is reported as such instead of being parsed.
 */
final class TpmFrames {
  static final int HEADER_BYTES = 10;
  /** Four times the 4 KiB buffer of TPMs and swtpm: a larger size field means the stream is not a TPM's. */
  static final int MAX_RESPONSE_BYTES = 16 * 1024;

  private static final int TAG_NO_SESSIONS = 0x8001;
  private static final int TAG_SESSIONS = 0x8002;
  /** TPM 1.2's response tag: a TPM 2.0 answers a TPM 1.2 command (TPM_RC_BAD_TAG) with it. */
  private static final int TAG_TPM12_RESPONSE = 0x00C4;

  private TpmFrames() {}

  static void checkCommand(byte[] command) {
    if (command.length < HEADER_BYTES) {
      throw new IllegalArgumentException("a TPM command has a 10-byte header; got " + command.length + " bytes");
    }
    int tag = u16(command, 0);
    if (tag != TAG_NO_SESSIONS && tag != TAG_SESSIONS) {
      throw new IllegalArgumentException(String.format("a TPM 2.0 command starts with tag 0x8001 or 0x8002, not 0x%04x", tag));
    }
    long size = u32(command, 2);
    if (size != command.length) {
      throw new IllegalArgumentException("the command's header says " + size + " bytes but it has " + command.length);
    }
  }

  /**
   * @return the whole response's size, from a response header
   * @throws TpmTransportException if the header is not a TPM 2.0 response header
   */
  static int responseSize(byte[] header, String peer) {
    int tag = u16(header, 0);
    if (tag != TAG_NO_SESSIONS && tag != TAG_SESSIONS && tag != TAG_TPM12_RESPONSE) {
      throw new TpmTransportException(String.format(
          "%s answered with tag 0x%04x, which is not a TPM 2.0 response; is it a TPM (for swtpm: its data port, not its control port)?",
          peer, tag));
    }
    long size = u32(header, 2);
    if (size < HEADER_BYTES || size > MAX_RESPONSE_BYTES) {
      throw new TpmTransportException(peer + " sent a response header declaring " + size
          + " bytes; a TPM response is between " + HEADER_BYTES + " and " + MAX_RESPONSE_BYTES + " bytes");
    }
    return (int) size;
  }

  static int u16(byte[] bytes, int offset) {
    return ((bytes[offset] & 0xff) << 8) | (bytes[offset + 1] & 0xff);
  }

  static long u32(byte[] bytes, int offset) {
    return ((long) (bytes[offset] & 0xff) << 24) | ((bytes[offset + 1] & 0xff) << 16)
        | ((bytes[offset + 2] & 0xff) << 8) | (bytes[offset + 3] & 0xff);
  }
}
