#!/usr/bin/env bash
# Installs the system packages mwlab needs when they are missing (Debian/Ubuntu, as root
# or with sudo): the broker servers it starts locally, Java + Maven for Kafka, Chromium
# for the report test. Does nothing when everything is there.
set -euo pipefail

need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v rabbitmq-server >/dev/null || [ -x /usr/sbin/rabbitmq-server ] || need+=(rabbitmq-server)
command -v java >/dev/null || need+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || need+=(maven)
command -v chromium >/dev/null || need+=(chromium)

if [ ${#need[@]} -eq 0 ]; then
  echo "system-deps: all present" >&2
  exit 0
fi
echo "system-deps: installing ${need[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
