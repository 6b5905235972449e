#!/usr/bin/env bash
# Builds userboot4j and the bundled probe kernel tree, then shows the boot FreeBSD's loader would
# prepare for it (bhyveload -h target/example).
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
mvn -q -B -DskipTests package
fixtures/probe/build.sh target/example >/dev/null
bin/userboot4j inspect -h target/example -m 512M "$@"
