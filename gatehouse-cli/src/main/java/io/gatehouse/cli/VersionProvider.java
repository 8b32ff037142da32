package io.gatehouse.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest, else from Maven's pom.properties in the jar, else "dev". */
public final class VersionProvider implements IVersionProvider {
  private static final String POM_PROPERTIES = "/META-INF/maven/io.gatehouse/gatehouse-cli/pom.properties";

  @Override
  public String[] getVersion() {
    return new String[] {"gatehouse " + version()};
  }

  public static String version() {
    String fromManifest = Main.class.getPackage().getImplementationVersion();
    if (fromManifest != null && !fromManifest.isBlank()) {
      return fromManifest;
    }
    try (InputStream in = Main.class.getResourceAsStream(POM_PROPERTIES)) {
      if (in != null) {
        Properties properties = new Properties();
        properties.load(in);
        String version = properties.getProperty("version");
        if (version != null && !version.isBlank()) {
          return version;
        }
      }
    } catch (IOException e) {
      // Fall through: a version is nice to have, never worth failing for.
    }
    return "dev";
  }
}
