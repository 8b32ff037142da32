package io.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.cli.CliRunner.Result;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command tree, help, and the usage errors that never reach a server. */
class MainTest {
  @TempDir
  Path dir;

  private Map<String, String> env() {
    return Map.of("GATEHOUSE_DATA", dir.toString());
  }

  @Test
  void topLevelHelpListsEveryCommandAndTheExitCodes() {
    Result result = CliRunner.run(env(), "--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("serve", "device", "edge", "service", "ca", "audit")
        .contains("Exit codes: 0 ok; 1 the server refused; 2 usage");
  }

  @Test
  void versionIsPrinted() {
    Result result = CliRunner.run(env(), "--version");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).startsWith("gatehouse ");
  }

  @Test
  void everyCommandHasHelp() {
    List<String[]> paths = new ArrayList<>();
    collect(CliRunner.commandLine(env()), new ArrayList<>(), paths);
    assertThat(paths).extracting(p -> String.join(" ", p)).contains(
        "device create", "device show", "device list", "device update", "device delete", "device enable",
        "device disable", "device quarantine", "device connection-string", "device token", "device rotate-key",
        "device tpm-info", "device provision", "device send",
        "edge create", "edge show", "edge list", "edge delete",
        "service create", "service show", "service list", "service delete", "service enable",
        "service disable", "service connection-string", "service rotate-key",
        "ca add", "ca list", "ca show", "ca delete", "audit list", "audit verify");

    for (String[] path : paths) {
      String[] args = new String[path.length + 1];
      System.arraycopy(path, 0, args, 0, path.length);
      args[path.length] = "--help";
      Result result = CliRunner.run(env(), args);
      assertThat(result.exitCode()).as(String.join(" ", args)).isZero();
      assertThat(result.out()).as(String.join(" ", args)).startsWith("Usage: gatehouse " + String.join(" ", path));
      assertThat(result.err()).as(String.join(" ", args)).isEmpty();
    }
  }

  private static void collect(CommandLine command, List<String> path, List<String[]> out) {
    command.getSubcommands().forEach((name, sub) -> {
      if (name.equals("help") || name.equals("serve")) {
        return;
      }
      List<String> next = new ArrayList<>(path);
      next.add(name);
      out.add(next.toArray(String[]::new));
      collect(sub, next, out);
    });
  }

  @Test
  void aGroupWithoutSubcommandIsAUsageError() {
    Result result = CliRunner.run(env(), "device");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("Missing required subcommand").contains("create");
  }

  @Test
  void usageErrorsExit2WithTheReason() {
    assertUsage("Unknown option: '--bogus'", "device", "list", "--bogus");
    assertUsage("Unknown option: '--edge'", "edge", "create", "e1", "--edge");
    assertUsage("Invalid value for option '--ttl': '5y' is not a lifetime", "device", "token", "d1", "--ttl", "5y");
    assertUsage("registry.read cannot be scoped to devices or tags", "service", "create", "s",
        "--permit", "registry.read:devices=a");
    assertUsage("Missing required option: '--permit=PERMISSION[:SCOPE]'", "service", "create", "s");
    assertUsage("messages.send is given both unscoped (every device) and scoped", "service", "create", "s",
        "--permit", "messages.send", "--permit", "messages.send:devices=d1");
    assertUsage("mutually exclusive", "device", "create", "d1", "--x509-ca", "--x509-thumbprint", "ab".repeat(32));
    assertUsage("Missing required argument(s): --x509-thumbprint=HEX", "device", "create", "d1",
        "--x509-secondary-thumbprint", "ab".repeat(32));
    assertUsage("is not a SHA-256 thumbprint", "device", "create", "d1", "--x509-thumbprint", "abc");
    assertUsage("Missing required option: '--reason=TEXT'", "device", "quarantine", "d1");
    assertUsage("the id 'a b' contains the character U+0020 at position 2", "device", "show", "a b");
    assertUsage("tag 'site' must be KEY=VALUE", "device", "create", "d1", "--tag", "site");
    assertUsage("tag 'a' is given twice", "device", "create", "d1", "--tag", "a=1", "--tag", "a=2");
    assertUsage("Invalid value for option '--output'", "device", "list", "--output", "yaml");
    assertUsage("Invalid value for option '--key'", "device", "rotate-key", "d1", "--key", "both");
    assertUsage("--page-size must be at least 1", "device", "list", "--page-size", "0");
    assertUsage("nothing to change", "device", "update", "d1");
    assertUsage("--parent and --no-parent contradict", "device", "update", "d1", "--parent", "e1", "--no-parent");
    assertUsage("contradict each other", "device", "update", "d1", "--x509-secondary-thumbprint", "ab".repeat(32),
        "--no-x509-secondary-thumbprint");
    assertUsage("is not a SHA-256 thumbprint", "device", "update", "d1", "--x509-thumbprint", "abc");
    assertUsage("--limit must be at least 1", "audit", "list", "--limit", "0");
    assertUsage("the PEM file " + dir.resolve("none.pem") + " does not exist", "ca", "add", "root",
        "--pem", dir.resolve("none.pem").toString());
  }

  @Test
  void withoutAnyConnectionSettingsTheMessageSaysWhatToDo() {
    Result result = CliRunner.run(env(), "device", "list");

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).startsWith("error: no Gatehouse credential found: " + dir
        + " has no cli.json or operator.credential. Run this command in the directory where `gatehouse serve` "
        + "was started, or pass --data DIR");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void atFileMeansReadTheCredentialNotExpandTheArguments() {
    Path missing = dir.resolve("missing.credential");

    Result result = CliRunner.run(env(), "device", "list", "--credential", "@" + missing);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("the credential file " + missing + " (from --credential) does not exist");
  }

  @Test
  void aMisplacedConnectionStringIsNotEchoed() {
    String key = "c2VjcmV0LWtleS0wMTIzNDU2Nzg5MA==";

    Result result = CliRunner.run(env(), "device", "list",
        "HostName=gw;SharedAccessKeyName=ops;SharedAccessKey=" + key);

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("Unmatched argument at index 2: "
        + "'HostName=gw;SharedAccessKeyName=ops;SharedAccessKey=<redacted>'");
    assertThat(result.all()).doesNotContain(key).doesNotContain("c2VjcmV0");
  }

  @Test
  void thePlainCommandLineWorksToo() {
    CommandLine plain = new CommandLine(new Main(env()));
    java.io.StringWriter err = new java.io.StringWriter();
    plain.setErr(new java.io.PrintWriter(err, true));

    assertThat(plain.execute("device", "list")).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("no Gatehouse credential found");
  }

  private void assertUsage(String message, String... args) {
    Result result = CliRunner.run(env(), args);
    assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).as(String.join(" ", args)).contains(message);
    assertThat(result.out()).as(String.join(" ", args)).isEmpty();
  }
}
