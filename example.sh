#!/usr/bin/env bash
# Builds userboot4j and the bundled probe kernel tree, then boots it: under KVM when /dev/kvm is usable
# (the probe kernel prints, on COM1, what the loader handed it), else shows the prepared boot with inspect.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
mvn -q -B -DskipTests package
fixtures/probe/build.sh target/example >/dev/null
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
  bin/userboot4j run -h target/example -m 512M --timeout 60 "$@"
else
  echo "example.sh: /dev/kvm is not usable here; showing the prepared boot instead of running it" >&2
  bin/userboot4j inspect -h target/example -m 512M "$@"
fi
