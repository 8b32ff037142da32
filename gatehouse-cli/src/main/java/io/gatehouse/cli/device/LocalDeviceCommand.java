package io.gatehouse.cli.device;

import io.gatehouse.cli.CliContext;
import io.gatehouse.cli.CliException;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.common.HelpOption;
import io.gatehouse.core.x509.KeyMaterialException;
import io.gatehouse.core.x509.TrustAnchors;
import io.gatehouse.device.client.DeviceClientException;
import io.gatehouse.device.provisioning.ProvisioningException;
import io.gatehouse.device.tpm.ActivationException;
import io.gatehouse.device.tpm.TpmCommandException;
import io.gatehouse.device.tpm.transport.TpmTransportException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that acts as a device (with its TPM) rather than as an operator: no service API
 * credential. Failures become one {@code error: …} line and an exit code; none of them carries a
 * key or a token (the SDK's exceptions never do).
 */
abstract class LocalDeviceCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  HelpOption help;

  protected abstract void run(PrintWriter out, CliContext context) throws Exception;

  @Override
  public final Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      run(spec.commandLine().getOut(), CliContext.of(spec));
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    } catch (CliException e) {
      err.println("error: " + e.getMessage());
      return e.exitCode();
    } catch (ProvisioningException e) {
      err.println("error: " + e.getMessage());
      return e.status() == 0 ? ExitCodes.UNREACHABLE : ExitCodes.REFUSED;
    } catch (DeviceClientException e) {
      err.println("error: " + e.getMessage());
      return e.status() == 0 ? ExitCodes.UNREACHABLE : ExitCodes.REFUSED;
    } catch (TpmTransportException | TpmCommandException | ActivationException e) {
      err.println("error: TPM: " + e.getMessage());
      return ExitCodes.UNREACHABLE;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return ExitCodes.USAGE;
    } catch (Exception e) {
      err.println("error: " + e);
      return ExitCodes.REFUSED;
    } finally {
      err.flush();
    }
  }

  static TrustManagerFactory trusting(Path caPem) {
    try {
      return TrustAnchors.trustManagers(caPem);
    } catch (KeyMaterialException e) {
      throw CliException.usage(e.getMessage() + "; pass the gateway's ca.pem", e);
    }
  }
}
