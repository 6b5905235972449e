#!/usr/bin/env bash
# Whole-process throughput of reading one large file from UFS images: userboot4j cat against sleuthkit's
# icat and grub-fstest's cat, on the same images in one run (best of N runs each). The output goes to a
# file in /dev/shm, so every tool pays for really writing the bytes (/dev/null would let a zero-copy
# reader skip the copy).
# usage: bench/ufs-cat.sh [SIZE_MIB] [RUNS]      (images are made in target/bench with Debian's makefs)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-300}
runs=${2:-5}
dir=target/bench
mkdir -p "$dir/tree"
[ -f "$dir/tree/big.bin" ] && [ "$(stat -c %s "$dir/tree/big.bin")" = $((size << 20)) ] ||
  head -c $((size << 20)) /dev/urandom > "$dir/tree/big.bin"
for v in 1 2; do
  [ -f "$dir/ufs$v.img" ] || makefs -t ffs -o version=$v -s $((size + 100))m "$dir/ufs$v.img" "$dir/tree" >/dev/null
done
[ -f target/userboot4j.jar ] || mvn -q -B -DskipTests package
expected=$(sha256sum < "$dir/tree/big.bin")
out=/dev/shm/userboot4j-bench.out
trap 'rm -f "$out"' EXIT

best() {  # best wall time in seconds of running "$@" $runs times, checking the bytes once
  local got t b=999999
  got=$("$@" | sha256sum)
  [ "$got" = "$expected" ] || { echo "wrong bytes from: $*" >&2; exit 1; }
  for _ in $(seq "$runs"); do
    t=$( { /usr/bin/time -f %e "$@" > "$out"; } 2>&1 | tail -1)
    b=$(echo "$t $b" | awk '{print ($1 < $2) ? $1 : $2}')
  done
  echo "$b"
}

printf '%-6s %-28s %8s %10s\n' image tool seconds MiB/s
for v in 1 2; do
  img="$dir/ufs$v.img"
  declare -A t=()
  t[userboot4j]=$(best java -jar target/userboot4j.jar cat -d "$img" /big.bin)
  t[grub-fstest]=$(best grub-fstest "$img" cat /big.bin)
  if [ $v = 1 ]; then  # sleuthkit finds no UFS2 superblock at 8 KiB, where Debian's makefs puts it
    ino=$(fls "$img" | awk -F'[ :\t]+' '$NF=="big.bin" {print $2}')
    t[icat]=$(best icat "$img" "$ino")
  fi
  for k in "${!t[@]}"; do
    printf '%-6s %-28s %8s %10.0f\n' "UFS$v" "$k" "${t[$k]}" "$(echo "$size ${t[$k]}" | awk '{print $1/$2}')"
  done
  unset t
done
