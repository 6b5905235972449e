#!/usr/bin/env bash
# Installs the Debian packages that are missing for what is asked:
#   scripts/install-deps.sh example   what ./example.sh needs: the JDK and Maven to build, gcc, binutils and
#                                     python3 for the probe kernel, QEMU to boot it
#   scripts/install-deps.sh [all]     the above and every tool the tests check against (test.sh)
set -euo pipefail
mode=${1:-all}
case $mode in example | all) ;; *) echo "usage: $0 [example|all]" >&2; exit 64 ;; esac
need=()
# want COMMAND PACKAGE: PACKAGE when COMMAND is not on PATH
want() { command -v "$1" >/dev/null || need+=("$2"); }
want java openjdk-17-jdk-headless
want javac openjdk-17-jdk-headless
want mvn maven
want gcc gcc
want ld binutils
want readelf binutils
want python3 python3
want qemu-system-x86_64 qemu-system-x86
if [ "$mode" = all ]; then
  want xz xz-utils
  want iasl acpica-tools
  want as binutils
  want objcopy binutils
  want zfs-fuse zfs-fuse
  want makefs makefs
  want sgdisk gdisk
  want sfdisk fdisk
  want fls sleuthkit
  want grub-fstest grub-common
  want xorriso xorriso
  want losetup mount
  want zstd zstd
  want dash dash
  want shellcheck shellcheck
  want mandoc mandoc
  want zsh zsh
  want b3sum b3sum
fi
if [ ${#need[@]} -gt 0 ]; then
  # one name once, in the order first wanted
  mapfile -t need < <(printf '%s\n' "${need[@]}" | awk '!seen[$0]++')
  echo "installing: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
