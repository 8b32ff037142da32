package io.gatehouse.cli.client;

import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every client command takes to find and reach the gateway. */
public final class ConnectionOptions {
  @Option(names = "--data", order = 100, paramLabel = "DIR",
      description = "Data directory of `gatehouse serve`; its cli.json and operator.credential are "
          + "used when --url, --credential or --ca are not given (default: ./gatehouse-data, env GATEHOUSE_DATA).")
  Path data;

  @Option(names = "--url", order = 101, paramLabel = "URL",
      description = "Base URL of the gateway, e.g. https://gw.example.net:8443 (env GATEHOUSE_URL; "
          + "default: the url in DIR/cli.json, else https://<credential HostName>:8443).")
  String url;

  @Option(names = "--credential", order = 102, paramLabel = "CONNSTRING|@FILE",
      description = "Service connection string HostName=…;SharedAccessKeyName=…;SharedAccessKey=…, "
          + "or @FILE to read it from FILE (preferred: arguments are visible to other users) "
          + "(env GATEHOUSE_CREDENTIAL; default: DIR/operator.credential).")
  String credential;

  @Option(names = "--ca", order = 103, paramLabel = "FILE",
      description = "PEM file of the CA that issued the gateway's TLS certificate; only it is trusted "
          + "(env GATEHOUSE_CA; default: caFile in DIR/cli.json, else the JDK trust store).")
  Path ca;

  public ConnectionOptions() {}

  /** For tests and callers that build options without parsing a command line. */
  public ConnectionOptions(Path data, String url, String credential, Path ca) {
    this.data = data;
    this.url = url;
    this.credential = credential;
    this.ca = ca;
  }

  /** Combines these flags with {@code env} and the discovery files; flags win, then env, then files. */
  public Connection resolve(Map<String, String> env) {
    return new ConnectionResolver(env).resolve(data, url, credential, ca);
  }
}
