#!/usr/bin/env bash
# Installs what the tests need and runs them all. With USERBOOT4J_REQUIRE_ALL=1 (as CI sets it) a test
# whose tool or fixture is missing fails instead of skipping.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
mvn -B verify "$@"
