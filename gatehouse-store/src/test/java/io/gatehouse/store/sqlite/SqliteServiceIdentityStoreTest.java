package io.gatehouse.store.sqlite;

import static io.gatehouse.store.sqlite.TestStores.newKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.core.authz.Grant;
import io.gatehouse.core.authz.Permission;
import io.gatehouse.core.error.AlreadyExistsException;
import io.gatehouse.core.error.InvalidInputException;
import io.gatehouse.core.error.NotFoundException;
import io.gatehouse.core.error.PreconditionFailedException;
import io.gatehouse.core.identity.IdentityStatus;
import io.gatehouse.core.identity.ServiceIdentity;
import io.gatehouse.store.Page;
import io.gatehouse.store.ServiceIdentityStore;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SqliteServiceIdentityStoreTest extends StoreTestBase {
  private ServiceIdentityStore services;

  @BeforeEach
  void open() {
    services = store.services();
  }

  private static ServiceIdentity service(String name, List<Grant> grants) {
    return new ServiceIdentity(name, IdentityStatus.ENABLED, newKeys(), grants, null, null, null);
  }

  @Test
  void createAndFindRoundTripKeysGrantsAndScopes() {
    List<Grant> grants = List.of(
        Grant.unscoped(Permission.REGISTRY_READ),
        new Grant(Permission.MESSAGES_SEND, Set.of("dev-2", "dev-1", "a(b),c:d=e@f$g'h"),
            Map.of("site", "north", "fleet", "semi;colon, \"quoted\" {json} value")),
        new Grant(Permission.TELEMETRY_READ, Set.of(), Map.of("site", "south")),
        Grant.unscoped(Permission.ADMIN));

    ServiceIdentity created = services.create(service("backend", grants));

    assertThat(created.createdAt()).isEqualTo(clock.instant().truncatedTo(ChronoUnit.MILLIS));
    assertThat(created.updatedAt()).isEqualTo(created.createdAt());
    assertThat(created.etag()).isNotBlank();
    assertThat(services.find("backend")).contains(created);
    assertThat(services.find("backend").orElseThrow().grants()).isEqualTo(created.grants());
    assertThat(services.find("nobody")).isEmpty();
  }

  @Test
  void aServiceWithoutGrantsRoundTrips() {
    ServiceIdentity created = services.create(service("idle", List.of()));
    assertThat(services.find("idle")).contains(created);
  }

  @Test
  void createRefusesATakenName() {
    services.create(service("backend", List.of()));
    assertThatThrownBy(() -> services.create(service("backend", List.of())))
        .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("'backend' exists already");
  }

  @Test
  void replaceFollowsEtagRulesAndKeepsCreationTime() {
    ServiceIdentity created = services.create(service("backend", List.of(Grant.unscoped(Permission.ADMIN))));
    clock.advance(Duration.ofSeconds(3));
    ServiceIdentity changed = new ServiceIdentity("backend", IdentityStatus.DISABLED, newKeys(),
        List.of(new Grant(Permission.TELEMETRY_READ, Set.of("dev-9"), Map.of())), null, null, null);

    ServiceIdentity replaced = services.replace(changed, created.etag());

    assertThat(replaced.createdAt()).isEqualTo(created.createdAt());
    assertThat(replaced.updatedAt()).isEqualTo(created.createdAt().plusSeconds(3));
    assertThat(replaced.etag()).isNotEqualTo(created.etag());
    assertThat(services.find("backend")).contains(replaced);
    assertThatThrownBy(() -> services.replace(changed, created.etag()))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(services.replace(changed, "*").etag()).isNotEqualTo(replaced.etag());
    assertThatThrownBy(() -> services.replace(service("ghost", List.of()), null)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void deleteFollowsEtagRulesAndRemovesGrants() {
    ServiceIdentity created = services.create(service("backend", List.of(
        new Grant(Permission.MESSAGES_SEND, Set.of("dev-1"), Map.of()))));
    ServiceIdentity replaced = services.replace(created, null);
    assertThatThrownBy(() -> services.delete("backend", created.etag())).isInstanceOf(PreconditionFailedException.class);
    services.delete("backend", replaced.etag());
    assertThat(services.find("backend")).isEmpty();
    assertThatThrownBy(() -> services.delete("backend", null)).isInstanceOf(NotFoundException.class);

    ServiceIdentity again = services.create(service("backend", List.of()));
    assertThat(services.find("backend")).contains(again);
  }

  @Test
  void listPagesInNameOrder() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      String name = String.format("svc-%02d", (i * 7) % 23);
      names.add(name);
      services.create(service(name, List.of(Grant.unscoped(Permission.REGISTRY_READ))));
    }
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      Page<ServiceIdentity> page = services.list(5, token);
      pages++;
      page.items().forEach(s -> {
        assertThat(s.grants()).containsExactly(Grant.unscoped(Permission.REGISTRY_READ));
        seen.add(s.name());
      });
      token = page.continuationToken();
    } while (token != null);
    assertThat(seen).containsExactlyElementsOf(names.stream().sorted().toList());
    assertThat(pages).isEqualTo(5);

    assertThatThrownBy(() -> services.list(0, null)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> services.list(1001, null)).isInstanceOf(InvalidInputException.class);
    assertThat(services.list(100, null).continuationToken()).isNull();
  }

  @Test
  void lookupsAreCachedAndEveryCommittedChangeIsSeenAtOnce() {
    ServiceIdentity created = services.create(service("cached", List.of(Grant.unscoped(Permission.REGISTRY_READ))));
    SqliteServiceIdentityStore sqlite = (SqliteServiceIdentityStore) services;
    assertThat(services.find("cached")).contains(created);
    IdentityCache.Stats warm = sqlite.cacheStats();
    assertThat(services.find("cached")).contains(created);
    assertThat(sqlite.cacheStats().hits()).isEqualTo(warm.hits() + 1);

    ServiceIdentity disabled = services.replace(created.withStatus(IdentityStatus.DISABLED), created.etag());
    assertThat(services.find("cached")).contains(disabled);

    ServiceIdentity rotated = services.replace(disabled.withKeys(newKeys()), disabled.etag());
    assertThat(services.find("cached").orElseThrow().keys()).isEqualTo(rotated.keys());

    ServiceIdentity regranted = services.replace(new ServiceIdentity("cached", IdentityStatus.ENABLED, rotated.keys(),
        List.of(Grant.unscoped(Permission.MESSAGES_SEND)), null, null, null), rotated.etag());
    assertThat(services.find("cached")).contains(regranted);

    services.delete("cached", null);
    assertThat(services.find("cached")).isEmpty();
  }

  @Test
  void aRefusedChangeLeavesTheCachedIdentityAsCommitted() {
    ServiceIdentity created = services.create(service("steady", List.of()));
    assertThat(services.find("steady")).contains(created);
    assertThatThrownBy(() -> services.replace(created.withStatus(IdentityStatus.DISABLED), "stale-etag"))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(services.find("steady")).contains(created);
  }
}
