#!/bin/sh
# Installs the Debian packages the test suite talks to, when they are missing. Run by `./mvnw verify`
# (parent pom, validate phase; skipped with -DskipTests). Real clients, not mocks: see README.
#   mosquitto-clients  mosquitto_pub / mosquitto_sub, a real MQTT client for interoperability tests
#   mosquitto          the reference broker the benchmark measures beside Gatehouse
#   swtpm swtpm-tools  the TPM 2.0 simulator the device SDK's TPM tests run against, and swtpm_setup
#                      (EK certificates under a test CA)
#   tpm2-tools         tpm2_* commands, to cross-check what the SDK does in the simulated TPM
set -eu
missing=""
command -v mosquitto_pub >/dev/null 2>&1 || missing="$missing mosquitto-clients"
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || missing="$missing mosquitto"
command -v swtpm >/dev/null 2>&1 || missing="$missing swtpm"
command -v swtpm_setup >/dev/null 2>&1 || missing="$missing swtpm-tools"
command -v tpm2_getcap >/dev/null 2>&1 || missing="$missing tpm2-tools"
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null 2>&1; then
  echo "The tests need these Debian packages:$missing" >&2
  echo "Install them with: apt-get install -y$missing" >&2
  exit 1
fi
as_root=""
[ "$(id -u)" != 0 ] && as_root="sudo -n"
echo "Installing test packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$as_root apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$as_root apt-get install -y -qq --no-install-recommends $missing >/dev/null
# The broker package may start a system service on port 1883; the tests start their own on loopback ports.
if command -v service >/dev/null 2>&1; then $as_root service mosquitto stop >/dev/null 2>&1 || true; fi
echo "Installed:$missing" >&2
