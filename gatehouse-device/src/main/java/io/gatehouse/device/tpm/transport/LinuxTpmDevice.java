package io.gatehouse.device.tpm.transport;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A hardware TPM through Linux's character device. Prefer {@code /dev/tpmrm0}, the kernel's
 * resource manager: it swaps transient objects and sessions per open file, so this process and
 * others (tpm2-abrmd, tpm2-tools) can use the TPM side by side. The kernel writes a command whole
 * and hands back the whole response; it also enforces the TPM's command durations, so there is no
 * timeout here. A {@link RandomAccessFile}, not a {@code FileChannel}: an interrupted thread would
 * close a channel under every other user of this device.
 */
public final class LinuxTpmDevice implements TpmTransport {
  public static final Path RESOURCE_MANAGER = Path.of("/dev/tpmrm0");

  private final RandomAccessFile file;
  private final String path;
  private final ReentrantLock lock = new ReentrantLock();
  private String brokenBecause;

  private LinuxTpmDevice(RandomAccessFile file, String path) {
    this.file = file;
    this.path = path;
  }

  public static LinuxTpmDevice open(Path device) {
    if (!Files.exists(device)) {
      throw new TpmTransportException("there is no TPM at " + device + ": the kernel creates it when a TPM 2.0 is "
          + "present and enabled in the firmware (check dmesg for tpm_tis / tpm_crb)");
    }
    if (!Files.isReadable(device) || !Files.isWritable(device)) {
      throw new TpmTransportException("permission denied on " + device + ": run as root or as a member of the "
          + "group that owns it (usually 'tss')");
    }
    try {
      return new LinuxTpmDevice(new RandomAccessFile(device.toFile(), "rw"), device.toString());
    } catch (FileNotFoundException e) {
      throw new TpmTransportException("cannot open " + device + ": " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] transmit(byte[] command) {
    TpmFrames.checkCommand(command);
    lock.lock();
    try {
      if (brokenBecause != null) {
        throw new TpmTransportException(path + " is unusable after an earlier failure (" + brokenBecause + ")");
      }
      file.write(command);
      byte[] response = new byte[TpmFrames.MAX_RESPONSE_BYTES];
      int received = 0;
      int declared = -1;
      while (declared < 0 || received < declared) {
        int n = file.read(response, received, response.length - received);
        if (n < 0) {
          throw broken(path + " ended after " + received + " bytes of a response");
        }
        received += n;
        if (declared < 0 && received >= TpmFrames.HEADER_BYTES) {
          declared = TpmFrames.responseSize(response, path);
        }
      }
      if (received != declared) {
        throw broken(path + " returned " + received + " bytes for a response declaring " + declared);
      }
      return Arrays.copyOf(response, declared);
    } catch (IOException e) {
      throw broken(path + " failed: " + e.getMessage());
    } catch (TpmTransportException e) {
      brokenBecause = e.getMessage();
      throw e;
    } finally {
      lock.unlock();
    }
  }

  private TpmTransportException broken(String message) {
    brokenBecause = message;
    return new TpmTransportException(message);
  }

  @Override
  public String describe() {
    return path;
  }

  @Override
  public boolean isSimulator() {
    return false;
  }

  @Override
  public void close() {
    try {
      file.close();
    } catch (IOException ignored) {
      // Closing is best effort: the file is released either way.
    }
  }
}
