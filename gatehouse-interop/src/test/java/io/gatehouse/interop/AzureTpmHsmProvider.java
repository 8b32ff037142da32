package io.gatehouse.interop;

import com.microsoft.azure.sdk.iot.provisioning.security.hsm.SecurityProviderTPMHsm;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import javax.net.ssl.SSLContext;
import tss.Tpm;
import tss.TpmDeviceTcp;
import tss.tpm.TPMT_PUBLIC;
import tss.tpm.TPM_HANDLE;
import tss.tpm.TPM_RH;

/**
 * Azure's own TPM provider ({@code tpm-provider} 2.0.1's SecurityProviderTPMHsm) on a swtpm, every
 * TPM operation its own code. Its constructor cannot run here: it takes its TPM from TSS.Java's
 * {@code TpmFactory.platformTpm()}, which on Linux only opens /dev/tpmrm0 or /dev/tpm0 (the
 * "user mode TRM" fallback on localhost:2323 is unreachable in TSS.Java 1.0.0: TpmDeviceLinux's
 * constructor never throws, its connect() fails, and platformTpm() returns null, so the provider
 * fails with a NullPointerException). So the object is allocated without the constructor, given a
 * TSS.Java TCP device through {@link UserModeTrmBridge}, and the constructor's two steps (evict
 * and re-create the EK and SRK under the owner hierarchy, with its templates) are run by calling
 * its own private methods.
 */
final class AzureTpmHsmProvider {
  private AzureTpmHsmProvider() {}

  static SecurityProviderTPMHsm on(UserModeTrmBridge bridge, SSLContext trust) throws Exception {
    TpmDeviceTcp device = new TpmDeviceTcp("127.0.0.1", bridge.port(), true);
    if (!device.connect()) {
      throw new IllegalStateException("TSS.Java's TCP device did not connect through the bridge");
    }
    Tpm tpm = new Tpm();
    tpm._setDevice(device);

    SecurityProviderTPMHsm provider = allocate(trust);
    set(provider, "tpm", tpm);
    Class<?> type = SecurityProviderTPMHsm.class;
    TPM_HANDLE ek = (TPM_HANDLE) constant(type, "EK_PERSISTENT_HANDLE");
    TPM_HANDLE srk = (TPM_HANDLE) constant(type, "SRK_PERSISTENT_HANDLE");
    Method clear = type.getDeclaredMethod("clearPersistent", Tpm.class, TPM_HANDLE.class, String.class);
    Method create = type.getDeclaredMethod("createPersistentPrimary", Tpm.class, TPM_HANDLE.class, TPM_RH.class,
        TPMT_PUBLIC.class, String.class);
    clear.setAccessible(true);
    create.setAccessible(true);
    clear.invoke(provider, tpm, ek, "EK");
    clear.invoke(provider, tpm, srk, "SRK");
    set(provider, "ekPublic", create.invoke(provider, tpm, ek, TPM_RH.OWNER, constant(type, "EK_TEMPLATE"), "EK"));
    set(provider, "srkPublic", create.invoke(provider, tpm, srk, TPM_RH.OWNER, constant(type, "SRK_TEMPLATE"), "SRK"));
    return provider;
  }

  /** A subclass that only trusts the gateway's CA, allocated without running any constructor. */
  private static SecurityProviderTPMHsm allocate(SSLContext trust) throws Exception {
    Field unsafeField = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
    unsafeField.setAccessible(true);
    Object unsafe = unsafeField.get(null);
    Trusting provider = (Trusting) unsafe.getClass().getMethod("allocateInstance", Class.class)
        .invoke(unsafe, Trusting.class);
    provider.trust = trust;
    return provider;
  }

  private static final class Trusting extends SecurityProviderTPMHsm {
    private SSLContext trust;

    private Trusting() throws Exception {
      // never runs: see allocate
    }

    @Override
    public SSLContext getSSLContext() {
      return trust;
    }
  }

  private static Object constant(Class<?> type, String name) throws ReflectiveOperationException {
    Field field = type.getDeclaredField(name);
    field.setAccessible(true);
    return field.get(null);
  }

  private static void set(Object target, String name, Object value) throws ReflectiveOperationException {
    Field field = SecurityProviderTPMHsm.class.getDeclaredField(name);
    field.setAccessible(true);
    field.set(target, value);
  }
}
