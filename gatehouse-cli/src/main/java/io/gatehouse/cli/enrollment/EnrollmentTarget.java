package io.gatehouse.cli.enrollment;

import io.gatehouse.cli.client.ApiPath;
import io.gatehouse.cli.output.Column;
import io.gatehouse.cli.output.Values;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The enrollment a command acts on: an individual one by registration id, or with {@code --group} a group. */
final class EnrollmentTarget {
  static final List<Column> COLUMNS = List.of(
      new Column("ID", e -> Values.text(e.hasNonNull("enrollmentGroupId") ? e.get("enrollmentGroupId")
          : e.get("registrationId"))),
      Column.field("KIND", "kind"),
      new Column("ATTESTATION", e -> Values.text(e.path("attestation").get("type"))),
      Column.field("ENABLED", "enabled"),
      Column.field("REPROVISION", "reprovisionPolicy"),
      Column.field("PARENT", "parentId"),
      Column.field("TAGS", "tags"));

  @Parameters(index = "0", paramLabel = "ID",
      description = "The registration id (individual enrollment) or, with --group, the group id.")
  String id;

  @Option(names = "--group", description = "ID names an enrollment group, not an individual enrollment.")
  boolean group;

  ApiPath path(String... more) {
    return path(group, id, more);
  }

  String describe() {
    return (group ? "enrollment group " : "individual enrollment ") + id;
  }

  static ApiPath path(boolean group, String id, String... more) {
    String[] segments = new String[more.length + 2];
    segments[0] = group ? "enrollmentGroups" : "enrollments";
    segments[1] = id;
    System.arraycopy(more, 0, segments, 2, more.length);
    return ApiPath.of(segments);
  }
}
