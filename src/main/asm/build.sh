#!/bin/sh
# Assembles the QEMU entry stub (qemu-entry.S) into the 4 KiB page vmm.qemu.Firmware puts at 0xff000.
# Needs GNU as and ld. Usage: build.sh [OUTFILE]
set -eu
src=$(cd "$(dirname "$0")" && pwd)
out=${1:-$src/../resources/userboot4j/vmm/qemu/entry.bin}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
as --64 -o "$work/entry.o" "$src/qemu-entry.S"
ld -m elf_x86_64 -Ttext=0xff000 -e 0xff000 --oformat=binary -o "$out" "$work/entry.o"
