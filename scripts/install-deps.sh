#!/usr/bin/env bash
# Installs the Debian packages the build, the example and the tests need, if any is missing.
set -euo pipefail
need=()
command -v java >/dev/null || need+=(openjdk-17-jdk-headless)
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || need+=(maven)
command -v gcc >/dev/null || need+=(gcc)
command -v ld >/dev/null || need+=(binutils)
command -v readelf >/dev/null || need+=(binutils)
command -v python3 >/dev/null || need+=(python3)
command -v xz >/dev/null || need+=(xz-utils)
command -v iasl >/dev/null || need+=(acpica-tools)
command -v as >/dev/null || need+=(binutils)
command -v objcopy >/dev/null || need+=(binutils)
command -v zfs-fuse >/dev/null || need+=(zfs-fuse)
command -v makefs >/dev/null || need+=(makefs)
command -v sgdisk >/dev/null || need+=(gdisk)
command -v sfdisk >/dev/null || need+=(fdisk)
command -v fls >/dev/null || need+=(sleuthkit)
command -v grub-fstest >/dev/null || need+=(grub-common)
command -v xorriso >/dev/null || need+=(xorriso)
command -v losetup >/dev/null || need+=(mount)
command -v zstd >/dev/null || need+=(zstd)
command -v b3sum >/dev/null || need+=(b3sum)
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v dash >/dev/null || need+=(dash)
command -v shellcheck >/dev/null || need+=(shellcheck)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
