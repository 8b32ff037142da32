package io.gatehouse.cli.audit;

import io.gatehouse.cli.common.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code gatehouse audit …}: the hash-chained audit log (needs audit.read). */
@Command(
    name = "audit",
    description = "Read and verify the tamper-evident audit log (needs audit.read).",
    subcommands = {AuditListCommand.class, AuditVerifyCommand.class})
public final class AuditCommand {
  @Mixin
  HelpOption help;
}
