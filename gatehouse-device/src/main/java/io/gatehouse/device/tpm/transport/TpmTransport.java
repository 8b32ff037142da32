package io.gatehouse.device.tpm.transport;

/**
 * One connection to a TPM 2.0: a marshalled command goes in, its marshalled response comes out
 * (TPM 2.0 Part 1 §18: a 10-byte header of tag, size and code, then the body). Calls are
 * serialised; a transport that failed mid-exchange refuses every later call, because the next
 * bytes on it could belong to the failed command.
 */
public interface TpmTransport extends AutoCloseable {
  /**
   * @throws TpmTransportException if the TPM cannot be reached, does not answer in time, or answers
   *     with something that is not a TPM response
   */
  byte[] transmit(byte[] command);

  /** Where the TPM is, for messages: e.g. {@code swtpm 127.0.0.1:2321} or {@code /dev/tpmrm0}. */
  String describe();

  /** Whether this is a simulator that may need TPM2_Startup from its client. */
  boolean isSimulator();

  @Override
  void close();
}
