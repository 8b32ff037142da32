package io.gatehouse.cli.ca;

import io.gatehouse.cli.client.ApiPath;
import io.gatehouse.cli.output.Column;
import java.util.List;

/** Paths and columns of the CA certificate commands. */
final class CaViews {
  static final List<Column> COLUMNS = List.of(
      Column.field("NAME", "name"),
      Column.field("SUBJECT", "subject"),
      Column.field("NOT AFTER", "notAfter"),
      Column.field("SHA-256", "sha256Thumbprint"));

  private CaViews() {}

  static ApiPath path(String name) {
    return ApiPath.of("certificates", name);
  }
}
