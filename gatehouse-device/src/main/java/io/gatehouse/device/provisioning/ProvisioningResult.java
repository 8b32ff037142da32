package io.gatehouse.device.provisioning;

/**
 * What the provisioning service assigned: the hub to connect to and the device id to connect as.
 * It holds no key: a TPM device's hub key went into its TPM, a symmetric-key device keeps its own.
 *
 * @param substatus DPS's {@code initialAssignment}, {@code reprovisionedToInitialAssignment}, …
 */
public record ProvisioningResult(String registrationId, String assignedHub, String deviceId, String substatus) {}
