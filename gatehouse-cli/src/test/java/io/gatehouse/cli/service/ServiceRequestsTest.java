package io.gatehouse.cli.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.cli.CliRunner;
import io.gatehouse.cli.output.OutputFormat;
import io.gatehouse.cli.output.Printer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParseResult;

class ServiceRequestsTest {
  @Test
  void createSendsOneGrantPerPermission() {
    ParseResult parsed = CliRunner.commandLine(Map.of()).parseArgs("service", "create", "dashboard",
        "--permit", "registry.read", "--permit", "telemetry.read:tag=site=plant-7",
        "--permit", "telemetry.read:devices=d1,d2", "--disabled");
    ServiceCreateCommand create = (ServiceCreateCommand) parsed.subcommand().subcommand().commandSpec().userObject();

    assertThat(create.body()).hasToString("{\"status\":\"disabled\",\"permissions\":["
        + "{\"permission\":\"registry.read\"},"
        + "{\"permission\":\"telemetry.read\",\"devices\":[\"d1\",\"d2\"],\"tags\":{\"site\":\"plant-7\"}}]}");
  }

  @Test
  void aServiceIsShownWithOnePermitPerLine() throws Exception {
    var service = new ObjectMapper().readTree("{\"name\":\"dashboard\",\"status\":\"enabled\",\"permissions\":["
        + "{\"permission\":\"registry.read\"},"
        + "{\"permission\":\"telemetry.read\",\"devices\":[\"d1\"],\"tags\":{\"site\":\"plant-7\"}}],"
        + "\"etag\":\"3\",\"createdAt\":\"2030-01-01T00:00:00Z\",\"updatedAt\":null}");
    StringWriter out = new StringWriter();

    ServiceViews.print(new Printer(new PrintWriter(out), OutputFormat.table), service);

    assertThat(out.toString().lines()).containsExactly(
        "name:        dashboard",
        "status:      enabled",
        "permissions: registry.read",
        "             telemetry.read:devices=d1",
        "             telemetry.read:tag=site=plant-7",
        "etag:        3",
        "createdAt:   2030-01-01T00:00:00Z");
    assertThat(ServiceViews.COLUMNS.get(2).cell().apply(service))
        .isEqualTo("registry.read telemetry.read:devices=d1 telemetry.read:tag=site=plant-7");
  }
}
