package io.gatehouse.device.keys;

/** Where a device's keys live; reports name it, and a certification report flags the insecure one. */
public enum KeyStoreKind {
  /** In a TPM 2.0: the key bytes never leave it. */
  TPM("tpm", false),
  /** In this process's memory (and a file): for development only; anyone who reads the file is the device. */
  INSECURE_SOFTWARE("insecure-software", true);

  private final String wireName;
  private final boolean insecure;

  KeyStoreKind(String wireName, boolean insecure) {
    this.wireName = wireName;
    this.insecure = insecure;
  }

  public String wireName() {
    return wireName;
  }

  public boolean isInsecure() {
    return insecure;
  }
}
