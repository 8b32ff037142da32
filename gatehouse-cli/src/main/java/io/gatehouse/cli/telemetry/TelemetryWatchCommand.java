package io.gatehouse.cli.telemetry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gatehouse.cli.CliException;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.client.ApiPath;
import io.gatehouse.cli.client.ServerEvents;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.IdentityIdConverter;
import io.gatehouse.cli.output.Printer;
import io.gatehouse.core.identity.IdentityIds;
import java.io.IOException;
import java.time.Duration;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gatehouse telemetry watch}: follows the telemetry stream until interrupted (Ctrl-C), one
 * line (or one JSON object) per message. Reconnects after a dropped connection, resuming after the
 * last message printed. With {@code --consumer-group} it commits its position after printing:
 * whenever it has caught up with the stream, and at least every {@value #COMMIT_EVERY} messages.
 */
@Command(name = "watch", sortOptions = false,
    description = {
      "Follow telemetry as it arrives, until Ctrl-C (GET /telemetry/stream; needs telemetry.read).",
      "Prints one line per message (SEQ TIME DEVICE PAYLOAD [PROPERTIES]), or with --output json one JSON "
          + "object per line. Starts with new messages unless --from, --from-time or --consumer-group says "
          + "otherwise; reconnects by itself when the connection drops."
    })
public final class TelemetryWatchCommand extends ApiCommand {
  static final int COMMIT_EVERY = 100;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  @Option(names = "--device", paramLabel = "ID", converter = IdentityIdConverter.class,
      description = "Only this device's messages.")
  String device;

  @ArgGroup(exclusive = true)
  Start start;

  static final class Start {
    @Option(names = "--from", paramLabel = "SEQ", description = "Start at this sequence number.")
    Long from;

    @Option(names = "--from-time", paramLabel = "TIME",
        description = "Start at the first message enqueued at or after this ISO-8601 time, e.g. 2025-01-31T12:00:00Z.")
    String fromTime;

    @Option(names = "--consumer-group", paramLabel = "NAME",
        description = "Start where this consumer group (of this identity) stopped, and commit its position after "
            + "printing; a new group starts with new messages.")
    String consumerGroup;
  }

  @Override
  protected void validate() {
    if (start == null) {
      return;
    }
    if (start.from != null && start.from < 1) {
      throw CliException.usage("--from must be at least 1, got " + start.from);
    }
    if (start.fromTime != null) {
      start.fromTime = TelemetryViews.time("--from-time", start.fromTime);
    }
    if (start.consumerGroup != null && !IdentityIds.isValid(start.consumerGroup)) {
      throw CliException.usage("--consumer-group must be 1 to 128 ASCII letters, digits or -.%_*?!(),:=@$', got '"
          + start.consumerGroup + "'");
    }
  }

  @Override
  protected int run(ApiClient client, Printer printer) {
    String group = start == null ? null : start.consumerGroup;
    String lastId = null;
    boolean connected = false;
    Duration backoff = Duration.ofSeconds(1);
    while (!Thread.currentThread().isInterrupted()) {
      try (ServerEvents events = client.stream(path(lastId == null), lastId)) {
        connected = true;
        backoff = Duration.ofSeconds(1);
        int uncommitted = 0;
        for (ServerEvents.Event event = events.next(); event != null; event = events.next()) {
          if (!"telemetry".equals(event.type())) {
            continue;
          }
          printer.printLine(printer.json() ? event.data() : TelemetryViews.line(TelemetryViews.parse(event.data())));
          printer.flush();
          lastId = event.id();
          uncommitted++;
          if (group != null && (uncommitted >= COMMIT_EVERY || !events.ready())) {
            commit(client, group, lastId);
            uncommitted = 0;
          }
        }
        note("(the gateway ended the stream; reconnecting)");
      } catch (IOException e) {
        if (Thread.currentThread().isInterrupted()) {
          break;
        }
        note("(the stream " + (e.getMessage() == null ? "failed" : "failed: " + e.getMessage()) + "; reconnecting)");
      } catch (CliException e) {
        if (Thread.currentThread().isInterrupted()) {
          break;
        }
        if (!connected || e.exitCode() != ExitCodes.UNREACHABLE) {
          throw e; // a refusal, or a gateway that was never reached: nothing to wait for
        }
        note("(" + e.getMessage() + "; retrying in " + backoff.toSeconds() + " s)");
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }
    printer.flush();
    return ExitCodes.OK;
  }

  /** The first connection starts as asked; later ones resume with Last-Event-ID, or at the group's position. */
  private ApiPath path(boolean first) {
    ApiPath path = ApiPath.of("telemetry", "stream").query("device", device);
    if (start != null && start.consumerGroup != null) {
      path.query("consumerGroup", start.consumerGroup);
    } else if (start != null && first) {
      path.query("from", start.from).query("fromTime", start.fromTime);
    }
    return path;
  }

  private static void commit(ApiClient client, String group, String lastId) {
    long next;
    try {
      next = Long.parseLong(lastId) + 1;
    } catch (NumberFormatException e) {
      throw CliException.refused("the gateway sent an event id that is not a sequence number: '" + lastId + "'");
    }
    client.put(ApiPath.of("telemetry", "consumer-groups", group),
        JsonNodeFactory.instance.objectNode().put("next", next), null);
  }
}
