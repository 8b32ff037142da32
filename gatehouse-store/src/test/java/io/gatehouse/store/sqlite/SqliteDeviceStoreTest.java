package io.gatehouse.store.sqlite;

import static io.gatehouse.store.sqlite.TestStores.device;
import static io.gatehouse.store.sqlite.TestStores.newKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.error.AlreadyExistsException;
import io.gatehouse.core.error.ConflictException;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.error.NotFoundException;
import io.gatehouse.core.error.PreconditionFailedException;
import io.gatehouse.core.identity.Authentication.X509CaSigned;
import io.gatehouse.core.identity.Authentication.X509Thumbprints;
import io.gatehouse.core.identity.Device;
import io.gatehouse.core.identity.IdentityKind;
import io.gatehouse.core.identity.IdentityStatus;
import io.gatehouse.store.DeviceQuery;
import io.gatehouse.store.DeviceStore;
import io.gatehouse.store.Page;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SqliteDeviceStoreTest extends StoreTestBase {
  private DeviceStore devices;

  @BeforeEach
  void open() {
    devices = store.devices();
  }

  private Device edge(String id) {
    return new Device(id, IdentityKind.EDGE, IdentityStatus.ENABLED, null, newKeys(), null, Map.of("site", "north"),
        null, null, null, null);
  }

  @Test
  void createReturnsWhatIsStoredWithTimesTruncatedToMilliseconds() {
    devices.create(edge("edge-1"));
    Instant seen = Instant.parse("2025-01-01T00:00:00.987654321Z");
    Device input = new Device("dev-1", IdentityKind.DEVICE, IdentityStatus.QUARANTINED, "odd traffic", newKeys(),
        "edge-1", Map.of("site", "north", "floor", "3"), "ignored", Instant.EPOCH, Instant.EPOCH, seen);

    Device created = devices.create(input);

    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    assertThat(created.createdAt()).isEqualTo(now);
    assertThat(created.updatedAt()).isEqualTo(now);
    assertThat(created.lastActivityAt()).isEqualTo(seen.truncatedTo(ChronoUnit.MILLIS));
    assertThat(created.etag()).isNotBlank().isNotEqualTo("ignored");
    assertThat(created.authentication()).isEqualTo(input.authentication());
    assertThat(devices.find("dev-1")).contains(created);
  }

  @Test
  void everyKindOfAuthenticationRoundTrips() {
    Device prints = device("thumbs").withAuthentication(new X509Thumbprints("AA".repeat(32), "bb".repeat(32)));
    Device onePrint = device("thumb").withAuthentication(new X509Thumbprints("cc".repeat(32), null));
    Device ca = device("ca-signed").withAuthentication(new X509CaSigned());
    for (Device device : List.of(prints, onePrint, ca)) {
      Device created = devices.create(device);
      assertThat(devices.find(device.id())).contains(created);
      assertThat(created.authentication()).isEqualTo(device.authentication());
    }
  }

  @Test
  void findOfAnUnknownDeviceIsEmpty() {
    assertThat(devices.find("nobody")).isEmpty();
  }

  @Test
  void createRefusesATakenId() {
    devices.create(device("dev-1"));
    assertThatThrownBy(() -> devices.create(device("dev-1")))
        .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("'dev-1' exists already");
  }

  @Test
  void replaceChangesEtagAndUpdateTimeAndKeepsCreationAndActivity() {
    Device created = devices.create(device("dev-1"));
    devices.recordActivity("dev-1", clock.instant());
    store.writer().barrier();
    clock.advance(Duration.ofMinutes(5));

    Device replaced = devices.replace(created.withStatus(IdentityStatus.DISABLED, "maintenance")
        .withAuthentication(newKeys()), created.etag());

    assertThat(replaced.etag()).isNotEqualTo(created.etag());
    assertThat(replaced.createdAt()).isEqualTo(created.createdAt());
    assertThat(replaced.updatedAt()).isEqualTo(created.updatedAt().plus(Duration.ofMinutes(5)));
    assertThat(replaced.lastActivityAt()).isEqualTo(created.createdAt());
    assertThat(devices.find("dev-1")).contains(replaced);
  }

  @Test
  void replaceWithAStaleEtagFailsAndWildcardOrNullIsUnconditional() {
    Device created = devices.create(device("dev-1"));
    Device second = devices.replace(created.withStatus(IdentityStatus.DISABLED, null), created.etag());

    assertThatThrownBy(() -> devices.replace(created, created.etag()))
        .isInstanceOf(PreconditionFailedException.class).hasMessageContaining("'dev-1' has changed");
    assertThat(devices.find("dev-1")).contains(second);

    Device third = devices.replace(created, "*");
    Device fourth = devices.replace(created, null);
    assertThat(third.etag()).isNotEqualTo(second.etag());
    assertThat(devices.find("dev-1")).contains(fourth);
  }

  @Test
  void replaceOrDeleteOfAnUnknownDeviceIsNotFound() {
    assertThatThrownBy(() -> devices.replace(device("ghost"), "*")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> devices.delete("ghost", null)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void concurrentReplacesWithTheSameEtagHaveExactlyOneWinner() throws Exception {
    Device created = devices.create(device("contended"));
    int threads = 16;
    CountDownLatch start = new CountDownLatch(1);
    ConcurrentLinkedQueue<Device> winners = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> losers = new ConcurrentLinkedQueue<>();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Device change = created.withStatus(IdentityStatus.DISABLED, "writer " + i);
      workers.add(Thread.ofPlatform().start(() -> {
        try {
          start.await();
          winners.add(devices.replace(change, created.etag()));
        } catch (Throwable t) {
          losers.add(t);
        }
      }));
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }

    assertThat(winners).hasSize(1);
    assertThat(losers).hasSize(threads - 1).allMatch(PreconditionFailedException.class::isInstance);
    assertThat(devices.find("contended")).contains(winners.peek());
  }

  @Test
  void deleteIsConditionalToo() {
    Device created = devices.create(device("dev-1"));
    Device replaced = devices.replace(created, null);
    assertThatThrownBy(() -> devices.delete("dev-1", created.etag())).isInstanceOf(PreconditionFailedException.class);
    devices.delete("dev-1", replaced.etag());
    assertThat(devices.find("dev-1")).isEmpty();
    devices.create(device("dev-2"));
    devices.delete("dev-2", "*");
    assertThat(devices.find("dev-2")).isEmpty();
  }

  @Test
  void parentsMustExistAndCannotBeDeletedUnderTheirChildren() {
    Device child = device("leaf");
    Device orphan = new Device("leaf", child.kind(), child.status(), null, child.authentication(), "edge-1",
        Map.of(), null, null, null, null);
    assertThatThrownBy(() -> devices.create(orphan))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("parent 'edge-1' is not a registered device");

    Device edge = devices.create(edge("edge-1"));
    devices.create(orphan);
    devices.create(new Device("leaf-2", IdentityKind.DEVICE, IdentityStatus.ENABLED, null, newKeys(), "edge-1",
        Map.of(), null, null, null, null));
    assertThat(devices.countChildren("edge-1")).isEqualTo(2);
    assertThat(devices.countChildren("leaf")).isZero();

    assertThatThrownBy(() -> devices.delete("edge-1", edge.etag()))
        .isInstanceOf(ConflictException.class).hasMessageContaining("parent of 2 device(s)");
    devices.delete("leaf", null);
    devices.delete("leaf-2", null);
    devices.delete("edge-1", edge.etag());
  }

  @Test
  void tagsAreReplacedWithTheDevice() {
    Device created = devices.create(edge("edge-1"));
    Device retagged = new Device("edge-1", IdentityKind.EDGE, IdentityStatus.ENABLED, null, created.authentication(),
        null, Map.of("site", "south", "rack", "7"), null, null, null, null);
    devices.replace(retagged, created.etag());
    assertThat(devices.find("edge-1").orElseThrow().tags()).isEqualTo(Map.of("rack", "7", "site", "south"));
    assertThat(devices.list(new DeviceQuery(null, null, null, "site", "north", 10, null)).items()).isEmpty();
    assertThat(devices.list(new DeviceQuery(null, null, null, "site", "south", 10, null)).items())
        .extracting(Device::id).containsExactly("edge-1");
  }

  @Test
  void listPagesThroughFiltersInIdOrder() {
    List<Device> all = new ArrayList<>();
    all.add(devices.create(edge("gw-a")));
    all.add(devices.create(edge("gw-b")));
    List<Thread> creators = new ArrayList<>();
    ConcurrentLinkedQueue<Device> created = new ConcurrentLinkedQueue<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      creators.add(Thread.ofVirtual().start(() -> {
        for (int i = thread; i < 240; i += 8) {
          IdentityStatus status = i % 3 == 0 ? IdentityStatus.DISABLED : IdentityStatus.ENABLED;
          Map<String, String> tags = i % 4 == 0 ? Map.of("fleet", "blue", "n", Integer.toString(i))
              : Map.of("fleet", "red");
          created.add(devices.create(new Device(String.format("dev-%03d", i), IdentityKind.DEVICE, status, null,
              newKeys(), i % 2 == 0 ? "gw-a" : "gw-b", tags, null, null, null, null)));
        }
      }));
    }
    creators.forEach(SqliteDeviceStoreTest::join);
    all.addAll(created);

    assertListing(DeviceQuery.all(), all, d -> true);
    assertListing(new DeviceQuery(IdentityKind.EDGE, null, null, null, null, 1, null), all,
        d -> d.kind() == IdentityKind.EDGE);
    assertListing(new DeviceQuery(null, IdentityStatus.DISABLED, null, null, null, 7, null), all,
        d -> d.status() == IdentityStatus.DISABLED);
    assertListing(new DeviceQuery(null, null, "gw-a", null, null, 9, null), all, d -> "gw-a".equals(d.parentId()));
    assertListing(new DeviceQuery(null, null, null, "fleet", "blue", 11, null), all,
        d -> "blue".equals(d.tags().get("fleet")));
    assertListing(new DeviceQuery(IdentityKind.DEVICE, IdentityStatus.DISABLED, "gw-a", "fleet", "blue", 4, null), all,
        d -> d.kind() == IdentityKind.DEVICE && d.status() == IdentityStatus.DISABLED
            && "gw-a".equals(d.parentId()) && "blue".equals(d.tags().get("fleet")));
    assertListing(new DeviceQuery(null, IdentityStatus.QUARANTINED, null, null, null, 5, null), all, d -> false);
  }

  private void assertListing(DeviceQuery first, List<Device> all, Predicate<Device> filter) {
    List<Device> expected = all.stream().filter(filter)
        .sorted(java.util.Comparator.comparing(Device::id)).toList();
    List<Device> seen = new ArrayList<>();
    DeviceQuery query = first;
    int pages = 0;
    while (true) {
      Page<Device> page = devices.list(query);
      pages++;
      assertThat(page.items()).hasSizeLessThanOrEqualTo(first.pageSize());
      seen.addAll(page.items());
      Optional<String> next = page.next();
      if (next.isEmpty()) {
        break;
      }
      assertThat(page.items()).hasSize(first.pageSize());
      query = new DeviceQuery(first.kind(), first.status(), first.parentId(), first.tagKey(), first.tagValue(),
          first.pageSize(), next.get());
    }
    assertThat(seen).containsExactlyElementsOf(expected);
    assertThat(pages).isEqualTo(Math.max(1, (expected.size() + first.pageSize() - 1) / first.pageSize()));
  }

  @Test
  void aForgedContinuationTokenIsInvalidInput() {
    assertThatThrownBy(() -> devices.list(new DeviceQuery(null, null, null, null, null, 10, "not base64!")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("continuationToken");
  }

  @Test
  void activityMovesForwardOnlyAndLeavesTheEtagAlone() {
    Device created = devices.create(device("dev-1"));
    Instant later = clock.instant().plusSeconds(60);
    devices.recordActivity("dev-1", later);
    devices.recordActivity("dev-1", later.minusSeconds(30));
    devices.recordActivity("unknown-device", later);
    store.writer().barrier();
    Device seen = devices.find("dev-1").orElseThrow();
    assertThat(seen.lastActivityAt()).isEqualTo(later.truncatedTo(ChronoUnit.MILLIS));
    assertThat(seen.etag()).isEqualTo(created.etag());
    assertThat(seen.updatedAt()).isEqualTo(created.updatedAt());

    devices.recordActivity("dev-1", later.minusSeconds(10));
    store.writer().barrier();
    assertThat(devices.find("dev-1").orElseThrow().lastActivityAt()).isEqualTo(later.truncatedTo(ChronoUnit.MILLIS));
  }

  @Test
  void lookupsAreCachedAndEveryCommittedChangeIsSeenAtOnce() {
    Device created = devices.create(device("cached-1"));
    SqliteDeviceStore sqlite = (SqliteDeviceStore) devices;
    assertThat(devices.find("cached-1")).contains(created);
    IdentityCache.Stats warm = sqlite.cacheStats();
    assertThat(devices.find("cached-1")).contains(created);
    assertThat(sqlite.cacheStats().hits()).isEqualTo(warm.hits() + 1);

    Device disabled = devices.replace(created.withStatus(IdentityStatus.DISABLED, "stolen"), created.etag());
    assertThat(devices.find("cached-1")).contains(disabled);

    Device rekeyed = devices.replace(disabled.withAuthentication(newKeys()), disabled.etag());
    assertThat(devices.find("cached-1").orElseThrow().authentication()).isEqualTo(rekeyed.authentication());

    Instant seen = clock.instant().plusSeconds(30);
    devices.recordActivity("cached-1", seen);
    store.writer().barrier();
    assertThat(devices.find("cached-1").orElseThrow().lastActivityAt()).isEqualTo(seen.truncatedTo(ChronoUnit.MILLIS));

    devices.delete("cached-1", null);
    assertThat(devices.find("cached-1")).isEmpty();
  }

  @Test
  void aRefusedChangeLeavesTheCachedDeviceAsCommitted() {
    Device created = devices.create(device("cached-2"));
    assertThat(devices.find("cached-2")).contains(created);
    assertThatThrownBy(() -> devices.replace(created.withStatus(IdentityStatus.DISABLED, null), "stale-etag"))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(devices.find("cached-2")).contains(created);
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
