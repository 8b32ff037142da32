package io.gatehouse.cli.enrollment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.cli.CliException;
import io.gatehouse.cli.ExitCodes;
import io.gatehouse.cli.client.ApiClient;
import io.gatehouse.cli.common.ApiCommand;
import io.gatehouse.cli.common.IdentityIdConverter;
import io.gatehouse.cli.common.Tag;
import io.gatehouse.cli.common.Thumbprint;
import io.gatehouse.cli.output.Printer;
import io.gatehouse.core.error.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gatehouse enrollment create ID [--group]}. */
@Command(name = "create", sortOptions = false,
    description = {
      "Create an enrollment (PUT /enrollments/{registrationId} or /enrollmentGroups/{id}; needs enrollments.write).",
      "Without an attestation option it gets generated symmetric keys, printed once. A group's devices sign with "
          + "base64(HMAC-SHA256(group key, registration id)): `gatehouse enrollment derive-key` computes one."
    })
public final class EnrollmentCreateCommand extends ApiCommand {
  @Mixin
  EnrollmentTarget target;

  @ArgGroup(exclusive = true, multiplicity = "0..1", heading = "%nAttestation (default: generated symmetric keys):%n")
  Attestation attestation;

  static final class Attestation {
    @Option(names = "--x509-thumbprint", paramLabel = "HEX", converter = Thumbprint.class,
        description = "Individual: the device's client certificate, by SHA-256 thumbprint.")
    String thumbprint;

    @Option(names = "--x509-ca", paramLabel = "CA",
        description = "Group: devices whose certificates chain to this CA (added with `gatehouse ca add`); "
            + "a certificate's subject CN is its registration id.")
    String ca;

    @Option(names = "--tpm-endorsement-key", paramLabel = "FILE",
        description = "Individual: the TPM's endorsement key (its TPM2B_PUBLIC, binary or base64) in FILE.")
    Path endorsementKey;
  }

  @Option(names = "--ek-certificate", paramLabel = "PEM-FILE",
      description = "With --tpm-endorsement-key: the TPM maker's certificate for the EK. Without it the EK is pinned "
          + "as given, and the enrollment says so.")
  Path ekCertificate;

  @Option(names = "--device-id", paramLabel = "ID", converter = IdentityIdConverter.class,
      description = "Individual: the device id to assign (default: the registration id).")
  String deviceId;

  @Option(names = "--registration-id-pattern", paramLabel = "PATTERN",
      description = "Group: admit only registration ids matching PATTERN, '*' for any run of characters "
          + "(e.g. line7-*).")
  String pattern;

  @Option(names = "--tag", paramLabel = "KEY=VALUE", converter = Tag.Converter.class,
      description = "A tag the provisioned device starts with; repeat for more.")
  List<Tag> tags;

  @Option(names = "--parent", paramLabel = "EDGE", converter = IdentityIdConverter.class,
      description = "The field gateway provisioned devices sit behind.")
  String parent;

  @Option(names = "--edge", description = "Provisioned identities are field gateways (kind edge), not devices.")
  boolean edge;

  @Option(names = "--reprovision", paramLabel = "POLICY",
      description = "When a provisioned device registers again: migrate (default: keep tags and parent, take the "
          + "new credential), reset (also restore the enrollment's tags and parent), never (leave it as it is).")
  String reprovision;

  @Option(names = "--disabled", description = "Create it disabled: no device provisions through it until enabled.")
  boolean disabled;

  @Override
  protected void validate() {
    try {
      Tag.toMap(tags);
    } catch (InvalidInputException e) {
      throw CliException.usage(e.getMessage());
    }
    if (ekCertificate != null && (attestation == null || attestation.endorsementKey == null)) {
      throw CliException.usage("--ek-certificate goes with --tpm-endorsement-key");
    }
    if (target.group && deviceId != null) {
      throw CliException.usage("--device-id is for individual enrollments; a group's devices get their registration id");
    }
    if (edge && parent != null) {
      throw CliException.usage("--edge and --parent exclude each other: field gateways have no parent");
    }
    if (!target.group && pattern != null) {
      throw CliException.usage("--registration-id-pattern is for enrollment groups (--group)");
    }
  }

  ObjectNode body() {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode auth = body.putObject("attestation");
    if (attestation == null) {
      auth.put("type", "symmetric-key");
    } else if (attestation.thumbprint != null) {
      auth.put("type", "x509").put("primaryThumbprint", attestation.thumbprint);
    } else if (attestation.ca != null) {
      auth.put("type", "x509-ca").put("caName", attestation.ca);
    } else {
      auth.put("type", "tpm").put("endorsementKey", endorsementKey(attestation.endorsementKey));
      if (ekCertificate != null) {
        auth.put("ekCertificate", read(ekCertificate));
      }
    }
    body.put("enabled", !disabled);
    if (deviceId != null) {
      body.put("deviceId", deviceId);
    }
    if (pattern != null) {
      body.put("registrationIdPattern", pattern);
    }
    Map<String, String> tagMap = Tag.toMap(tags);
    if (!tagMap.isEmpty()) {
      ObjectNode json = body.putObject("tags");
      tagMap.forEach(json::put);
    }
    if (parent != null) {
      body.put("parentId", parent);
    }
    if (reprovision != null) {
      body.put("reprovisionPolicy", reprovision);
    }
    if (edge) {
      body.put("deviceKind", "edge");
    }
    return body;
  }

  /** Binary TPM2B_PUBLIC (as tpm2_readpublic writes it) or its base64; the API takes base64. */
  private static String endorsementKey(Path file) {
    byte[] bytes = readBytes(file);
    String text = new String(bytes, StandardCharsets.US_ASCII).strip();
    try {
      Base64.getDecoder().decode(text);
      return text;
    } catch (IllegalArgumentException notBase64) {
      return Base64.getEncoder().encodeToString(bytes);
    }
  }

  private static String read(Path file) {
    return new String(readBytes(file), StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw CliException.usage("cannot read " + file + ": " + e.getMessage());
    }
  }

  @Override
  protected int run(ApiClient client, Printer printer) {
    JsonNode created = client.put(target.path(), body(), null).body();
    printer.printObject(created);
    if (!printer.json() && created.hasNonNull("primaryKey")) {
      note("(the keys are shown only now: keep them" + (target.group
          ? "; give each device only its derived key, `gatehouse enrollment derive-key`)" : ")"));
    }
    return ExitCodes.OK;
  }
}
