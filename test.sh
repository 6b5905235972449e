#!/usr/bin/env bash
# Installs what the tests need and runs them all. With USERBOOT4J_REQUIRE_ALL=1 (as CI sets it) a test
# whose tool or fixture is missing fails instead of skipping; only hardware this machine cannot have
# (/dev/kvm) is skipped. The last lines say what was skipped and why, or "0 skipped".
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
status=0
mvn -B verify "$@" || status=$?
scripts/test-summary
exit "$status"
