package io.gatehouse.device.tpm;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tss.tpm.CreateResponse;
import tss.tpm.TPMS_PCR_SELECTION;
import tss.tpm.TPMS_SENSITIVE_CREATE;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPM_HANDLE;
import tss.tpm.TPM_RH;

/**
 * Keys kept at persistent handles: read if present, created and made persistent if not, so a TPM
 * is set up once and every later start finds the same keys. Transient handles are flushed on
 * every path: a TPM has room for only a few (swtpm: three).
 */
final class PersistentKeys {
  private static final Logger log = LoggerFactory.getLogger(PersistentKeys.class);
  private static final String OWNER_AUTH_HINT = "Gatehouse uses the owner hierarchy with an empty authorization "
      + "(the default); if an owner password is set, clear it or provision the keys with tpm2-tools";

  private final TpmCommands tpm;

  PersistentKeys(TpmCommands tpm) {
    this.tpm = tpm;
  }

  Optional<TPMT_PUBLIC> read(int handle) {
    TpmCommands.Outcome<TPMT_PUBLIC> outcome =
        tpm.attempt("ReadPublic", t -> t.ReadPublic(KeyTemplates.handle(handle)).outPublic);
    if (outcome.succeeded()) {
      return Optional.of(outcome.value());
    }
    if (outcome.error() == ResponseCodes.HANDLE) {
      return Optional.empty();
    }
    throw new TpmCommandException("ReadPublic", outcome.responseCode(), "ReadPublic of " + hex(handle) + " failed on "
        + tpm.describeTpm() + ": " + ResponseCodes.describe(outcome.responseCode()));
  }

  /** A primary key of {@code hierarchy}, made from {@code template}: the same seed and template give the same key. */
  TPMT_PUBLIC ensurePrimary(int handle, TPM_RH hierarchy, TPMT_PUBLIC template, String role) {
    return read(handle).orElseGet(() -> tpm.exclusive(() -> {
      TPM_HANDLE created = tpm.run("CreatePrimary", t -> t.CreatePrimary(TPM_HANDLE.from(hierarchy), emptySensitive(),
          template, new byte[0], new TPMS_PCR_SELECTION[0]).handle, "creating the " + role + "; " + OWNER_AUTH_HINT);
      return persistLoaded(created, handle, role);
    }));
  }

  /** A key created inside the TPM under the key at {@code parent}, loaded, and made persistent. */
  TPMT_PUBLIC ensureChild(int handle, int parent, TPMT_PUBLIC template, String role) {
    return read(handle).orElseGet(() -> tpm.exclusive(() -> {
      CreateResponse created = tpm.run("Create", t -> t.Create(KeyTemplates.handle(parent), emptySensitive(), template,
          new byte[0], new TPMS_PCR_SELECTION[0]), "creating the " + role);
      TPM_HANDLE loaded = tpm.run("Load", t -> t.Load(KeyTemplates.handle(parent), created.outPrivate,
          created.outPublic), "loading the new " + role);
      return persistLoaded(loaded, handle, role);
    }));
  }

  /** Makes the loaded object at {@code transientHandle} persistent at {@code handle}, replacing what is there. */
  void persistReplacing(TPM_HANDLE transientHandle, int handle, String role) {
    if (read(handle).isPresent()) {
      tpm.run("EvictControl", t -> {
        t.EvictControl(TPM_HANDLE.from(TPM_RH.OWNER), KeyTemplates.handle(handle), KeyTemplates.handle(handle));
        return null;
      }, "removing the earlier " + role + " at " + hex(handle) + "; " + OWNER_AUTH_HINT);
    }
    tpm.run("EvictControl", t -> {
      t.EvictControl(TPM_HANDLE.from(TPM_RH.OWNER), transientHandle, KeyTemplates.handle(handle));
      return null;
    }, "making the " + role + " persistent at " + hex(handle) + "; " + OWNER_AUTH_HINT);
  }

  private TPMT_PUBLIC persistLoaded(TPM_HANDLE loaded, int handle, String role) {
    try {
      persistReplacing(loaded, handle, role);
    } finally {
      tpm.flushQuietly(loaded);
    }
    TPMT_PUBLIC created = read(handle).orElseThrow(() -> new IllegalStateException(
        "the " + role + " was made persistent at " + hex(handle) + " but cannot be read back"));
    log.info("TPM key created key={} handle={} tpm={}", role.replace(' ', '-'), hex(handle), tpm.describeTpm());
    return created;
  }

  private static TPMS_SENSITIVE_CREATE emptySensitive() {
    return new TPMS_SENSITIVE_CREATE(new byte[0], new byte[0]);
  }

  static String hex(int handle) {
    return String.format("0x%08x", handle);
  }
}
