package io.gatehouse.store.sqlite;

import io.gatehouse.core.audit.AuditChain;
import io.gatehouse.core.audit.AuditEntry;
import io.gatehouse.core.crypto.SecretBox;
import io.gatehouse.core.identity.Device;
import io.gatehouse.store.CaCertificateStore;
import io.gatehouse.store.DeviceStore;
import io.gatehouse.store.EdgePostureStore;
import io.gatehouse.store.EnrollmentStore;
import io.gatehouse.store.RegistrationStore;
import io.gatehouse.store.GatehouseStore;
import io.gatehouse.store.Inbox;
import io.gatehouse.store.ServiceIdentityStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store: one SQLite file in WAL mode, written by one {@link SqliteWriter} thread with
 * group commit and read through a small pool of read-only connections. Commits are durable
 * ({@code synchronous=FULL}) before any call returns, except {@link io.gatehouse.store.Durability#DEFERRED}
 * ones (see {@link SqliteWriter}). Devices and service identities are looked up through an
 * {@link IdentityCache}. Times are kept to the millisecond.
 */
public final class SqliteStore implements GatehouseStore {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);
  /** Devices kept decrypted in memory at most (about half a kilobyte each). */
  static final int DEVICE_CACHE_SIZE = 4_096;
  /** Service identities kept decrypted in memory at most; deployments have a handful. */
  static final int SERVICE_CACHE_SIZE = 1_024;

  private final SqliteFile database;
  private final SqliteWriter writer;
  private final ReadPool readers;
  private final ActivityRecorder activity;
  private final SqliteDeviceStore devices;
  private final SqliteServiceIdentityStore services;
  private final SqliteCaCertificateStore caCertificates;
  private final SqliteAuditStore audit;
  private final SqliteInbox inbox;
  private final SqliteEdgePostureStore edgePostures;
  private final SqliteEnrollmentStore enrollments;
  private final SqliteRegistrationStore registrations;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SqliteStore(SqliteFile database, SecretBox secrets, AuditChain chain, Clock clock) {
    this.database = database;
    this.writer = database.writer();
    this.readers = database.readers();
    SecureRandom random = new SecureRandom();
    Etags etags = new Etags(random);
    KeySealer sealer = new KeySealer(secrets);
    IdentityCache<Device> deviceCache = new IdentityCache<>(DEVICE_CACHE_SIZE);
    this.audit = new SqliteAuditStore(writer, readers, chain);
    this.activity = new ActivityRecorder(writer, deviceCache);
    this.devices = new SqliteDeviceStore(writer, readers, new DeviceRows(sealer), etags, clock, activity,
        deviceCache, audit);
    this.services = new SqliteServiceIdentityStore(writer, readers, sealer, etags, clock,
        new IdentityCache<>(SERVICE_CACHE_SIZE), audit);
    this.caCertificates = new SqliteCaCertificateStore(writer, readers, clock);
    this.inbox = new SqliteInbox(writer, readers, new LockTokens(random), audit);
    this.edgePostures = new SqliteEdgePostureStore(writer, readers);
    this.enrollments = new SqliteEnrollmentStore(writer, readers, new EnrollmentRows(sealer), etags, clock);
    this.registrations = new SqliteRegistrationStore(writer, readers, devices, etags, clock);
  }

  /** Opens (or creates) the store with {@link SqliteSettings#defaults()}. */
  public static SqliteStore open(Path databaseFile, SecretBox secrets, AuditChain chain, Clock clock) {
    return open(databaseFile, secrets, chain, clock, SqliteSettings.defaults());
  }

  /**
   * Opens (or creates) the database file and its parent directories, applies missing schema
   * migrations, checks that {@code secrets} is the key the database was created with, and starts
   * the writer.
   *
   * @throws IllegalStateException if the database is newer than this code, or the key is wrong
   * @throws StoreFailureException if the file cannot be opened or migrated
   */
  public static SqliteStore open(Path databaseFile, SecretBox secrets, AuditChain chain, Clock clock,
      SqliteSettings settings) {
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(clock, "clock");
    Path file = databaseFile.toAbsolutePath();
    SqliteFile.Opened<Void> opened = SqliteFile.open(file, settings, "the database", SchemaMigrator.standard(clock),
        connection -> {
          new MasterKeyCheck(secrets).verify(connection);
          return null;
        });
    SqliteStore store = new SqliteStore(opened.file(), secrets, chain, clock);
    try {
      store.checkAuditHead(chain);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    LOG.info("opened SQLite store {} (schema version {})", file, opened.schemaVersion());
    return store;
  }

  @Override
  public DeviceStore devices() {
    return devices;
  }

  @Override
  public ServiceIdentityStore services() {
    return services;
  }

  @Override
  public CaCertificateStore caCertificates() {
    return caCertificates;
  }

  /** The audit store, typed so that {@link SqliteAuditStore#appendAsync} is reachable. */
  @Override
  public SqliteAuditStore audit() {
    return audit;
  }

  @Override
  public Inbox inbox() {
    return inbox;
  }

  @Override
  public EdgePostureStore edgePostures() {
    return edgePostures;
  }

  @Override
  public EnrollmentStore enrollments() {
    return enrollments;
  }

  @Override
  public RegistrationStore registrations() {
    return registrations;
  }

  /** Group-commit counters of the writer, for metrics. */
  public SqliteWriter.Stats writerStats() {
    return writer.stats();
  }

  public Path file() {
    return database.path();
  }

  /** For tests in this package: the background checkpoint's counters. */
  WalCheckpointer.Stats checkpointerStats() {
    return database.checkpointer().stats();
  }

  /** For tests in this package: the writer, to stall it or wait for it. */
  SqliteWriter writer() {
    return writer;
  }

  /** Flushes pending activity and queued writes, stops the writer, closes every connection. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    activity.scheduleFlush();
    database.close();
    LOG.info("closed SQLite store {}", database.path());
  }

  /**
   * A head entry that does not verify means the audit key differs from the one the log was written
   * with, or the entry was altered. New entries still chain on; the break shows in verification.
   */
  private void checkAuditHead(AuditChain chain) {
    Optional<AuditEntry> head = audit.head();
    if (head.isPresent()) {
      AuditEntry entry = head.get();
      if (!chain.hash(entry.sequence(), entry.event(), entry.previousHash()).equals(entry.hash())) {
        LOG.error("the newest audit entry ({}) does not verify with this audit key: the key is not the one the "
            + "log was written with, or the entry was altered; verify the audit log", entry.sequence());
      }
    }
  }
}
