package io.gatehouse.edge.local.coap;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedPskStore;

/**
 * Californium's and Scandium's settings, built in code from a {@link CoapConfig}. Never through
 * {@code Configuration.getStandard()}, which would write {@code Californium3.properties} into the
 * working directory and let a stray file there change the edge's security settings.
 */
final class CaliforniumSetup {
  /** RFC 7925's mandatory suite (8-byte tag, cheap for leaves), and GCM for leaves with AES-GCM hardware. */
  static final CipherSuite[] CIPHER_SUITES = {
      CipherSuite.TLS_PSK_WITH_AES_128_CCM_8, CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256};
  /** Messages remembered per peer to answer duplicates; bounds the deduplicator per leaf. */
  private static final int DEDUPLICATED_MESSAGES_PER_PEER = 64;

  private CaliforniumSetup() {}

  static Configuration configuration(CoapConfig config) {
    Configuration configuration = new Configuration(org.eclipse.californium.core.config.CoapConfig.DEFINITIONS,
        DtlsConfig.DEFINITIONS, UdpConfig.DEFINITIONS, SystemConfig.DEFINITIONS);
    coap(configuration, config);
    dtls(configuration, config);
    return configuration;
  }

  static DtlsConnectorConfig connector(Configuration configuration, InetSocketAddress address, AdvancedPskStore psks,
      DtlsEvents events) {
    return DtlsConnectorConfig.builder(configuration)
        .setAddress(address)
        .setAdvancedPskStore(psks)
        .setConnectionListener(events)
        .setSessionListener(events)
        .setLoggingTag("leaf-coaps " + address)
        .build();
  }

  private static void coap(Configuration c, CoapConfig config) {
    int maxPayload = config.maxPayloadBytes();
    // A command never needs block-wise transfer (it fits one message); an upload may come in blocks,
    // reassembled up to the same limit and refused with 4.13 beyond it.
    c.set(org.eclipse.californium.core.config.CoapConfig.MAX_MESSAGE_SIZE, maxPayload);
    c.set(org.eclipse.californium.core.config.CoapConfig.PREFERRED_BLOCK_SIZE, Integer.highestOneBit(maxPayload));
    c.set(org.eclipse.californium.core.config.CoapConfig.MAX_RESOURCE_BODY_SIZE, maxPayload);
    c.set(org.eclipse.californium.core.config.CoapConfig.ACK_TIMEOUT, config.ackTimeout().toMillis(),
        TimeUnit.MILLISECONDS);
    c.set(org.eclipse.californium.core.config.CoapConfig.MAX_RETRANSMIT, config.maxRetransmit());
    c.set(org.eclipse.californium.core.config.CoapConfig.MAX_ACTIVE_PEERS, config.maxSessions());
    c.set(org.eclipse.californium.core.config.CoapConfig.MAX_SERVER_OBSERVES, config.maxSessions());
    c.set(org.eclipse.californium.core.config.CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, config.ioThreads());
    c.set(org.eclipse.californium.core.config.CoapConfig.DEDUPLICATOR,
        org.eclipse.californium.core.config.CoapConfig.DEDUPLICATOR_PEERS_MARK_AND_SWEEP);
    c.set(org.eclipse.californium.core.config.CoapConfig.PEERS_MARK_AND_SWEEP_MESSAGES,
        DEDUPLICATED_MESSAGES_PER_PEER);
  }

  private static void dtls(Configuration c, CoapConfig config) {
    c.set(DtlsConfig.DTLS_ROLE, DtlsRole.SERVER_ONLY);
    c.setAsList(DtlsConfig.DTLS_CIPHER_SUITES, CIPHER_SUITES);
    c.set(DtlsConfig.DTLS_USE_HELLO_VERIFY_REQUEST, true); // cookies: no handshake work for spoofed sources
    c.set(DtlsConfig.DTLS_MAX_CONNECTIONS, config.maxSessions());
    // When the store is full, only connections silent this long make room for new ones.
    c.set(DtlsConfig.DTLS_STALE_CONNECTION_THRESHOLD, config.sessionIdle().toSeconds(), TimeUnit.SECONDS);
    // A leaf that handshakes again (rebooted, new port) replaces its older connection.
    c.set(DtlsConfig.DTLS_REMOVE_STALE_DOUBLE_PRINCIPALS, true);
    c.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
    c.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, 1);
  }
}
