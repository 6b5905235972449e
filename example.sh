#!/usr/bin/env bash
# Builds userboot4j and the bundled probe kernel tree, then boots it with `run`: under QEMU (KVM
# acceleration where the host has it, else QEMU's own emulator), or under the KVM backend where only
# /dev/kvm is there. The probe kernel prints on COM1 what the loader handed it and ends the run.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
mvn -q -B -DskipTests package
fixtures/probe/build.sh target/example >/dev/null
bin/userboot4j run -h target/example -m 512M --timeout 60 "$@"
