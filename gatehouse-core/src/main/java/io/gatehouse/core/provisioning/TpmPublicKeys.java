package io.gatehouse.core.provisioning;

import io.gatehouse.core.error.InvalidInputException;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;

/**
 * Reads the public key out of a marshalled TPM2B_PUBLIC (or a bare TPMT_PUBLIC), as DPS devices
 * send their endorsement key: RSA, or ECC on NIST P-256 / P-384. Only what is needed to compare the
 * key with an EK certificate's; anything else is refused with what was found.
 */
public final class TpmPublicKeys {
  private static final int ALG_RSA = 0x0001;
  private static final int ALG_ECC = 0x0023;
  private static final int ALG_NULL = 0x0010;
  private static final int ALG_ECDAA = 0x001A;
  private static final int CURVE_P256 = 0x0003;
  private static final int CURVE_P384 = 0x0004;

  private TpmPublicKeys() {}

  public static PublicKey parse(byte[] marshalled) {
    try {
      ByteBuffer in = ByteBuffer.wrap(marshalled);
      // A TPM2B_PUBLIC starts with the size of the TPMT_PUBLIC that follows; a bare TPMT_PUBLIC with
      // its type (0x0001, 0x0023) never equals the remaining length of a real key.
      if (marshalled.length >= 2 && (in.getShort(0) & 0xffff) == marshalled.length - 2) {
        in.getShort();
      }
      int type = u16(in);
      u16(in); // nameAlg
      in.getInt(); // objectAttributes
      skip(in, u16(in)); // authPolicy
      symmetric(in);
      return switch (type) {
        case ALG_RSA -> rsa(in);
        case ALG_ECC -> ecc(in);
        default -> throw new InvalidInputException(String.format(
            "the endorsement key is of TPM algorithm 0x%04x; RSA (0x0001) and ECC (0x0023) are supported", type));
      };
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new InvalidInputException("the endorsement key is not a well-formed TPM2B_PUBLIC");
    } catch (GeneralSecurityException e) {
      throw new InvalidInputException("the endorsement key cannot be read: " + e.getMessage());
    }
  }

  private static PublicKey rsa(ByteBuffer in) throws GeneralSecurityException {
    int scheme = u16(in);
    if (scheme != ALG_NULL) {
      u16(in); // hashAlg of the scheme
    }
    u16(in); // keyBits
    long exponent = in.getInt() & 0xffffffffL;
    byte[] modulus = bytes(in, u16(in));
    return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(new BigInteger(1, modulus),
        BigInteger.valueOf(exponent == 0 ? 65537 : exponent)));
  }

  private static PublicKey ecc(ByteBuffer in) throws GeneralSecurityException {
    int scheme = u16(in);
    if (scheme != ALG_NULL) {
      u16(in); // hashAlg
      if (scheme == ALG_ECDAA) {
        u16(in); // count
      }
    }
    int curve = u16(in);
    if (u16(in) != ALG_NULL) { // kdf
      u16(in);
    }
    BigInteger x = new BigInteger(1, bytes(in, u16(in)));
    BigInteger y = new BigInteger(1, bytes(in, u16(in)));
    String name = switch (curve) {
      case CURVE_P256 -> "secp256r1";
      case CURVE_P384 -> "secp384r1";
      default -> throw new InvalidInputException(String.format(
          "the endorsement key is on TPM curve 0x%04x; NIST P-256 and P-384 are supported", curve));
    };
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
    parameters.init(new ECGenParameterSpec(name));
    return KeyFactory.getInstance("EC").generatePublic(
        new ECPublicKeySpec(new ECPoint(x, y), parameters.getParameterSpec(ECParameterSpec.class)));
  }

  /** TPMT_SYM_DEF_OBJECT: an algorithm, and key bits and mode unless it is NULL. */
  private static void symmetric(ByteBuffer in) {
    if (u16(in) != ALG_NULL) {
      u16(in);
      u16(in);
    }
  }

  private static int u16(ByteBuffer in) {
    return in.getShort() & 0xffff;
  }

  private static byte[] bytes(ByteBuffer in, int length) {
    byte[] out = new byte[length];
    in.get(out);
    return out;
  }

  private static void skip(ByteBuffer in, int length) {
    in.position(in.position() + length);
  }
}
