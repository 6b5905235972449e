#!/usr/bin/env bash
# Builds userboot4j and the bundled probe kernel tree, then boots it with `run`: under QEMU (KVM
# acceleration where the host has it, else QEMU's own emulator), or under the KVM backend where only
# /dev/kvm is there. The probe kernel prints on COM1 what the loader handed it and ends the run.
# Standard output is the guest's console alone: the build's messages go to standard error.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh example
# Maven writes terminal resets on standard output even in batch mode (-B) and when quiet (-q)
mvn -q -B --no-transfer-progress -DskipTests package >&2
fixtures/probe/build.sh target/example >/dev/null
bin/userboot4j run -h target/example -m 512M --timeout 60 "$@"
