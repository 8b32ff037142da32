# Sourced by ./mvnw and ./gatehouse: make JAVA_HOME point at a JDK 21 or newer.
# The default `java` on these machines is 17, which cannot build or run Gatehouse; a newer JDK
# usually sits under /usr/lib/jvm. An explicit JAVA_HOME of 21+ always wins.

gatehouse_jdk_major() {
  # prints the feature version of the JDK in $1, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

gatehouse_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(gatehouse_jdk_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then return 0; fi
  fi
  best="" best_v=0
  for candidate in /usr/lib/jvm/* /opt/java/* /usr/local/lib/jvm/*; do
    [ -d "$candidate" ] || continue
    v=$(gatehouse_jdk_major "$candidate")
    if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best="$candidate" best_v="$v"; fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(gatehouse_jdk_major "$home")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then best="$home"; fi
  fi
  if [ -z "$best" ]; then
    echo "Gatehouse needs a JDK 21 or newer; none found in JAVA_HOME or /usr/lib/jvm." >&2
    echo "Install one (e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 25) or set JAVA_HOME." >&2
    return 1
  fi
  JAVA_HOME="$best"
  export JAVA_HOME
}

gatehouse_find_jdk || exit 1
