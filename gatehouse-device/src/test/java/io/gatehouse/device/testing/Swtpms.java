package io.gatehouse.device.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The swtpm instances of one test, each with a fresh state folder, all stopped and deleted when the
 * test ends (JUnit closes this from its store, whether the test passed or not).
 */
public final class Swtpms implements AutoCloseable {
  private final Path root;
  private final List<Swtpm> started = new ArrayList<>();
  private int next;

  Swtpms() {
    try {
      root = Files.createTempDirectory("gatehouse-swtpm-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new, empty TPM: no EK, no SRK, as a device fresh from the factory without provisioning. */
  public Swtpm start() throws IOException {
    Swtpm swtpm = Swtpm.start(root.resolve("tpm-" + next++));
    started.add(swtpm);
    return swtpm;
  }

  /** A swtpm that was not told to initialise itself: it answers every command with TPM_RC_FAILURE. */
  public Swtpm startUninitialised() throws IOException {
    Swtpm swtpm = Swtpm.start(root.resolve("tpm-" + next++), false);
    started.add(swtpm);
    return swtpm;
  }

  /**
   * A TPM manufactured as vendors do: {@code swtpm_setup} creates the EK (0x81010001) and SRK
   * (0x81000001) and stores an EK certificate signed by this test's CA (swtpm-localca) at 0x01c00002.
   */
  public Swtpm startManufactured() throws IOException, InterruptedException {
    Path state = root.resolve("tpm-" + next++);
    Files.createDirectories(state);
    Path config = writeSetupConfig();
    run(List.of("swtpm_setup", "--tpm2", "--tpmstate", state.toString(), "--create-ek-cert", "--create-spk",
        "--config", config.toString(), "--overwrite"));
    Swtpm swtpm = Swtpm.start(state);
    started.add(swtpm);
    return swtpm;
  }

  /** The test CA's root certificate (created on the first {@link #startManufactured}). */
  public X509Certificate caRoot() throws IOException {
    return certificate(root.resolve("ca/swtpm-localca-rootca-cert.pem"));
  }

  /** The test CA's issuing (intermediate) certificate, which signs the EK certificates. */
  public X509Certificate caIssuer() throws IOException {
    return certificate(root.resolve("ca/issuercert.pem"));
  }

  private Path writeSetupConfig() throws IOException {
    Path ca = Files.createDirectories(root.resolve("ca"));
    Path localCa = root.resolve("swtpm-localca.conf");
    Files.writeString(localCa, "statedir = " + ca + "\nsigningkey = " + ca.resolve("signkey.pem")
        + "\nissuercert = " + ca.resolve("issuercert.pem") + "\ncertserial = " + ca.resolve("certserial") + "\n");
    Path options = root.resolve("swtpm-localca.options");
    Files.writeString(options, "--platform-manufacturer Gatehouse\n--platform-version 1.0\n--platform-model test\n");
    Path setup = root.resolve("swtpm_setup.conf");
    Files.writeString(setup, "create_certs_tool = /usr/bin/swtpm_localca\ncreate_certs_tool_config = " + localCa
        + "\ncreate_certs_tool_options = " + options + "\nactive_pcr_banks = sha256\n");
    return setup;
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output);
    }
  }

  private static X509Certificate certificate(Path pem) throws IOException {
    try (var in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (CertificateException e) {
      throw new IOException(pem + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    started.forEach(Swtpm::close);
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
