package io.gatehouse.device.tpm;

import io.gatehouse.device.tpm.transport.TpmTransport;
import tss.TpmDevice;

/**
 * Hands TSS.Java's marshalled commands to one of our transports. TSS.Java builds and parses the
 * TPM structures; how bytes reach the TPM is ours (see {@link TpmTransport}).
 */
final class TssDevice extends TpmDevice {
  private final TpmTransport transport;
  private byte[] response;

  TssDevice(TpmTransport transport) {
    this.transport = transport;
  }

  @Override
  public boolean connect() {
    return true;
  }

  @Override
  public void dispatchCommand(byte[] command) {
    response = transport.transmit(command);
  }

  @Override
  public byte[] getResponse() {
    byte[] r = response;
    response = null;
    if (r == null) {
      throw new IllegalStateException("no TPM response is waiting (a command must be dispatched first)");
    }
    return r;
  }

  @Override
  public boolean responseReady() {
    return response != null;
  }

  @Override
  public void close() {
    transport.close();
  }
}
