package io.gatehouse.cli.message;

import io.gatehouse.cli.client.ApiPath;
import io.gatehouse.cli.common.SequencePageCommand;
import io.gatehouse.cli.output.Column;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code gatehouse message feedback [--from N] [--limit N]}. */
@Command(name = "feedback", sortOptions = false,
    description = "List the feedback on messages this identity sent with --ack (GET /messages/feedback; needs "
        + "messages.send).")
public final class MessageFeedbackCommand extends SequencePageCommand {
  static final List<Column> COLUMNS = List.of(
      Column.field("SEQ", "sequence"),
      Column.field("TIME", "enqueuedTimeUtc"),
      Column.field("DEVICE", "deviceId"),
      Column.field("MESSAGE ID", "originalMessageId"),
      Column.field("MESSAGE SEQ", "originalSequence"),
      Column.field("STATUS", "statusCode"),
      Column.field("DESCRIPTION", "description"));

  @Override
  protected ApiPath path() {
    return ApiPath.of("messages", "feedback");
  }

  @Override
  protected List<Column> columns() {
    return COLUMNS;
  }

  @Override
  protected String itemsName() {
    return "feedback";
  }

  @Override
  protected String commandLine() {
    return "gatehouse message feedback";
  }
}
