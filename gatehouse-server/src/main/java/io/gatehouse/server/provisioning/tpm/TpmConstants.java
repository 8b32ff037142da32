package io.gatehouse.server.provisioning.tpm;

/** The few TPM 2.0 algorithm ids and object attributes the blob needs (TPM 2.0 Part 2, §6.3, §8.3). */
final class TpmConstants {
  static final int ALG_RSA = 0x0001;
  static final int ALG_HMAC = 0x0005;
  static final int ALG_AES = 0x0006;
  static final int ALG_KEYEDHASH = 0x0008;
  static final int ALG_SHA256 = 0x000B;
  static final int ALG_NULL = 0x0010;
  static final int ALG_ECC = 0x0023;
  static final int ALG_CFB = 0x0043;

  static final int SHA256_BYTES = 32;

  static final int ATTR_USER_WITH_AUTH = 0x00000040;
  static final int ATTR_NO_DA = 0x00000400;
  static final int ATTR_RESTRICTED = 0x00010000;
  static final int ATTR_DECRYPT = 0x00020000;
  static final int ATTR_SIGN = 0x00040000;

  private TpmConstants() {}

  static String algorithmName(int alg) {
    return switch (alg) {
      case ALG_RSA -> "RSA";
      case 0x0004 -> "SHA-1";
      case ALG_HMAC -> "HMAC";
      case ALG_AES -> "AES";
      case ALG_KEYEDHASH -> "KEYEDHASH";
      case ALG_SHA256 -> "SHA-256";
      case 0x000C -> "SHA-384";
      case 0x000D -> "SHA-512";
      case ALG_NULL -> "NULL";
      case ALG_ECC -> "ECC";
      case 0x0025 -> "SYMCIPHER";
      case ALG_CFB -> "CFB";
      case 0x0044 -> "CBC";
      default -> String.format("0x%04x", alg);
    };
  }
}
