#!/bin/sh
# Gatehouse benchmarks: Gatehouse beside Debian's Mosquitto, both on 127.0.0.1, generator on the same machine.
#   scripts/bench.sh --quick                          every scenario, small numbers (each well under a minute)
#   scripts/bench.sh                                  every scenario at the issue's sizes, both targets
#   scripts/bench.sh --target mosquitto --scenario telemetry --json out.json
#   scripts/bench.sh --help                           all options
# Builds gatehouse-bench and the Gatehouse distribution on first use (or with BENCH_REBUILD=1).
# BENCH_JAVA_OPTS: JVM options of the generator (default -Xmx4g: 10,000 TLS clients need room).
# BENCH_TLS=jdk: simulated devices use the JDK's TLS instead of BoringSSL (costs the generator ~3x CPU per handshake).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/.mvn/find-jdk.sh"

jar=$(ls "$root"/gatehouse-bench/target/gatehouse-bench-*.jar 2>/dev/null | grep -v -e sources -e tests | head -n 1 || true)
if [ -z "$jar" ] || [ ! -d "$root/gatehouse-bench/target/lib" ] \
    || [ ! -f "$root/gatehouse-cli/target/dist/lib/gatehouse-cli-0.1.0-SNAPSHOT.jar" ] || [ -n "${BENCH_REBUILD:-}" ]; then
  echo "bench: building gatehouse-bench and the Gatehouse distribution..." >&2
  (cd "$root" && ./mvnw -q -B -DskipTests -pl gatehouse-bench,gatehouse-cli -am package) >&2 || {
    echo "bench: the build failed; run './mvnw -DskipTests -pl gatehouse-bench,gatehouse-cli -am package' to see why" >&2
    exit 1
  }
  jar=$(ls "$root"/gatehouse-bench/target/gatehouse-bench-*.jar | grep -v -e sources -e tests | head -n 1)
fi

cp="$root/gatehouse-bench/target/lib/*:$jar"
# BoringSSL (netty-tcnative, a dependency of gatehouse-bench) keeps the simulated devices' handshakes cheap;
# BENCH_TLS=jdk measures with the JDK's TLS instead.
tls=""
[ "${BENCH_TLS:-}" = jdk ] && tls="-Dio.netty.handler.ssl.noOpenSsl=true"

# The Gatehouse measured: this checkout's ./gatehouse unless GATEHOUSE_HOME or --gatehouse-home names another.
GATEHOUSE_HOME=${GATEHOUSE_HOME:-$root}
export GATEHOUSE_HOME
exec "$JAVA_HOME/bin/java" ${BENCH_JAVA_OPTS:--Xmx4g} --enable-native-access=ALL-UNNAMED $tls \
  -cp "$cp" io.gatehouse.bench.Bench "$@"
