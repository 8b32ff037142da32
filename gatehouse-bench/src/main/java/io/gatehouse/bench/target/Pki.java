package io.gatehouse.bench.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway CA and server certificate for the reference broker, made with {@code openssl} (the
 * bench's classpath has BouncyCastle's provider but not its PKIX builder). ECDSA P-256 with SHA-256,
 * as Gatehouse's development PKI, so both servers do the same signature work per handshake. SANs:
 * {@code localhost}, {@code 127.0.0.1}.
 */
public final class Pki {
  private final Path caPem;
  private final Path certPem;
  private final Path keyPem;

  private Pki(Path dir) {
    this.caPem = dir.resolve("ca.pem");
    this.certPem = dir.resolve("server.pem");
    this.keyPem = dir.resolve("server.key");
  }

  public static Pki create(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    Pki pki = new Pki(dir);
    if (Files.exists(pki.certPem) && Files.exists(pki.keyPem) && Files.exists(pki.caPem)) {
      return pki;
    }
    Path caKey = dir.resolve("ca.key");
    Path csr = dir.resolve("server.csr");
    Path ext = dir.resolve("server.ext");
    Files.writeString(ext, """
        basicConstraints=critical,CA:FALSE
        keyUsage=critical,digitalSignature
        extendedKeyUsage=serverAuth
        subjectAltName=DNS:localhost,IP:127.0.0.1
        """);
    openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-sha256", "-nodes",
        "-keyout", caKey.toString(), "-out", pki.caPem.toString(), "-days", "7", "-subj", "/CN=gatehouse-bench CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-sha256", "-nodes",
        "-keyout", pki.keyPem.toString(), "-out", csr.toString(), "-subj", "/CN=localhost");
    openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", pki.caPem.toString(), "-CAkey", caKey.toString(),
        "-CAcreateserial", "-sha256", "-days", "7", "-extfile", ext.toString(), "-out", pki.certPem.toString());
    return pki;
  }

  private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Path log = dir.resolve("openssl.log");
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("openssl " + args[0] + " did not finish in 30 s");
    }
    if (p.exitValue() != 0) {
      throw new IOException("openssl " + args[0] + " failed (" + p.exitValue() + "): " + Files.readString(log));
    }
  }

  public Path caPem() {
    return caPem;
  }

  public Path certPem() {
    return certPem;
  }

  public Path keyPem() {
    return keyPem;
  }
}
