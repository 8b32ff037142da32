package io.gatehouse.cli.service;

import picocli.CommandLine.Command;

/** {@code gatehouse service disable NAME}. */
@Command(name = "disable", sortOptions = false,
    description = {
      "Refuse the identity's tokens until it is enabled (POST /services/{name}/disable; needs admin).",
      "The last enabled identity holding admin cannot be disabled."
    })
public final class ServiceDisableCommand extends ServiceStatusBase {
  @Override
  protected String action() {
    return "disable";
  }
}
