package io.gatehouse.device.tpm;

import io.gatehouse.device.tpm.transport.TpmTransport;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import tss.Tpm;
import tss.TpmException;
import tss.tpm.TPM_HANDLE;

/**
 * Runs TSS.Java commands on one TPM connection, one at a time, and turns a TPM error into a
 * {@link TpmCommandException} that names the command. Errors are always "allowed" towards TSS.Java,
 * which would otherwise print them to standard output before throwing; the raw response code
 * (with its parameter number) is taken from the response itself.
 */
final class TpmCommands implements AutoCloseable {
  private final Tpm tpm;
  private final TpmTransport transport;
  private final ReentrantLock lock = new ReentrantLock();
  private int lastRawCode;

  TpmCommands(TpmTransport transport) {
    this.transport = transport;
    this.tpm = new Tpm();
    tpm._setDevice(new TssDevice(transport));
    tpm._setCallback((command, rc, request, response) -> lastRawCode = rawCode(response));
  }

  String describeTpm() {
    return transport.describe();
  }

  /** Runs {@code call}; throws with {@code hint} appended if the TPM refuses. */
  <T> T run(String command, Function<Tpm, T> call, String hint) {
    Outcome<T> outcome = attempt(command, call);
    if (!outcome.succeeded()) {
      throw new TpmCommandException(command, outcome.responseCode(), command + " failed on " + transport.describe()
          + ": " + ResponseCodes.describe(outcome.responseCode()) + (hint.isEmpty() ? "" : "; " + hint));
    }
    return outcome.value();
  }

  <T> T run(String command, Function<Tpm, T> call) {
    return run(command, call, "");
  }

  /** What a command answered: its result if {@code responseCode} is 0, else nothing. */
  record Outcome<T>(T value, int responseCode) {
    boolean succeeded() {
      return responseCode == ResponseCodes.SUCCESS;
    }

    int error() {
      return ResponseCodes.error(responseCode);
    }
  }

  /** Runs {@code call} and hands back the response code instead of throwing on a TPM error. */
  <T> Outcome<T> attempt(String command, Function<Tpm, T> call) {
    lock.lock();
    try {
      lastRawCode = 0;
      T value;
      try {
        value = call.apply(tpm._allowErrors());
      } catch (TpmException e) {
        throw new TpmCommandException(command, lastRawCode, command + " on " + transport.describe()
            + " returned a response TSS.Java cannot read: " + e.getMessage());
      }
      return new Outcome<>(lastRawCode == ResponseCodes.SUCCESS ? value : null, lastRawCode);
    } finally {
      lock.unlock();
    }
  }

  /** Holds the lock across several commands that must not interleave with others (e.g. a session's). */
  <T> T exclusive(Supplier<T> steps) {
    lock.lock();
    try {
      return steps.get();
    } finally {
      lock.unlock();
    }
  }

  /** Frees a transient object or session; a failure here must not hide the error that led to it. */
  void flushQuietly(TPM_HANDLE handle) {
    if (handle == null) {
      return;
    }
    try {
      attempt("FlushContext", t -> {
        t.FlushContext(handle);
        return null;
      });
    } catch (RuntimeException lost) {
      // The connection itself failed; the exception already on its way says why.
    }
  }

  @Override
  public void close() {
    try {
      tpm.close();
    } catch (IOException | RuntimeException ignored) {
      // The transport's close is best effort.
    }
  }

  private static int rawCode(byte[] response) {
    return ((response[6] & 0xff) << 24) | ((response[7] & 0xff) << 16) | ((response[8] & 0xff) << 8)
        | (response[9] & 0xff);
  }
}
