package io.gatehouse.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.gatehouse.cli.CliException;
import io.gatehouse.cli.ExitCodes;
import java.net.URI;
import org.junit.jupiter.api.Test;

class ProblemMapperTest {
  private static final URI URL = URI.create("https://localhost:8443/devices/d1");

  private static CliException map(int status, String body) throws Exception {
    JsonNode node = body.startsWith("{") ? new ObjectMapper().readTree(body) : TextNode.valueOf(body);
    return ProblemMapper.toException(status, node, URL, "/data/operator.credential");
  }

  @Test
  void unauthorizedNamesTheCredential() throws Exception {
    CliException e = map(401, "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"SAS token expired\"}");

    assertThat(e.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(e).hasMessage("the credential was refused: SAS token expired (credential from /data/operator.credential)");
  }

  @Test
  void forbiddenNamesTheMissingPermission() throws Exception {
    assertThat(map(403, "{\"title\":\"Forbidden\",\"detail\":\"ops may not do that\",\"missingPermission\":\"admin\"}"))
        .hasMessage("ops may not do that (missing permission: admin)");
    assertThat(map(403, "{\"title\":\"Forbidden\",\"detail\":\"the identity ops is disabled\"}"))
        .hasMessage("the identity ops is disabled");
  }

  @Test
  void otherProblemsAreTitleAndDetail() throws Exception {
    assertThat(map(404, "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"device 'd1' does not exist\"}"))
        .hasMessage("Not Found: device 'd1' does not exist");
    assertThat(map(409, "{\"title\":\"Conflict\"}")).hasMessage("Conflict");
    assertThat(map(412, "{\"detail\":\"the etag is stale\"}")).hasMessage("HTTP 412: the etag is stale");
  }

  @Test
  void aBodyThatIsNoProblemIsShownShortly() throws Exception {
    assertThat(map(502, "<html>\n<body>Bad   gateway</body></html>"))
        .hasMessage("HTTP 502 from " + URL + ": <html> <body>Bad gateway</body></html>");
    assertThat(map(500, "")).hasMessage("HTTP 500 from " + URL);
  }
}
