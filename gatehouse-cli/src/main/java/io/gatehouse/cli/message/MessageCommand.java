package io.gatehouse.cli.message;

import io.gatehouse.cli.common.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code gatehouse message …}: cloud-to-device messages, service side (needs messages.send). */
@Command(
    name = "message",
    description = "Send cloud-to-device messages and read their feedback (needs messages.send).",
    subcommands = {MessageSendCommand.class, MessageFeedbackCommand.class})
public final class MessageCommand {
  @Mixin
  HelpOption help;
}
