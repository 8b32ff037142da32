package io.gatehouse.cli.service;

import picocli.CommandLine.Command;

/** {@code gatehouse service enable NAME}. */
@Command(name = "enable", sortOptions = false,
    description = "Accept the identity's tokens again (POST /services/{name}/enable; needs admin).")
public final class ServiceEnableCommand extends ServiceStatusBase {
  @Override
  protected String action() {
    return "enable";
  }
}
