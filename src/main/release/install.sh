#!/bin/sh
# Installs this unpacked userboot4j release under PREFIX (default /usr/local, where FreeBSD's packages go):
#   PREFIX/bin/userboot4j        the launcher
#   PREFIX/sbin/bhyveload        a link to it (FreeBSD's own stays /usr/sbin/bhyveload; see doc/MIGRATING.md)
#   PREFIX/lib/userboot4j/       the jar, its dependencies, the class list, and the class-data-sharing
#                                archive made here for the Java the launcher finds
#   MANDIR/man8/                 userboot4j.8, bhyveload.8 (MANDIR: PREFIX/man unless set)
#   PREFIX/share/doc/userboot4j/ the documents
#   PREFIX/share/bash-completion/completions/userboot4j   bash completion (bash-completion loads it)
#   PREFIX/share/userboot4j/userboot4j.zsh                zsh completion (source it from ~/.zshrc)
# Usage: ./install.sh [PREFIX], or PREFIX=DIR ./install.sh. Installing again replaces the earlier version.
# POSIX sh, for FreeBSD's /bin/sh.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
usage() {
  echo "usage: install.sh [PREFIX]" >&2
  exit 64 # EX_USAGE
}
case $# in
  0) prefix=${PREFIX:-/usr/local} ;;
  1) prefix=$1 ;;
  *) usage ;;
esac
case $prefix in /*) ;; *) usage ;; esac
mandir=${MANDIR:-$prefix/man}
lib=$prefix/lib/userboot4j
doc=$prefix/share/doc/userboot4j
if [ ! -f "$here/lib/userboot4j.jar" ]; then
  echo "install.sh: $here/lib/userboot4j.jar is missing: run the install.sh of an unpacked release" >&2
  exit 66 # EX_NOINPUT
fi
# Never over a bhyveload that is not a link (with PREFIX=/usr, FreeBSD's own).
if [ -e "$prefix/sbin/bhyveload" ] && [ ! -L "$prefix/sbin/bhyveload" ]; then
  echo "install.sh: $prefix/sbin/bhyveload exists and is not a link: left alone, nothing installed" >&2
  exit 73 # EX_CANTCREAT
fi

mkdir -p "$prefix/bin" "$prefix/sbin" "$lib" "$mandir/man8" "$doc"
# the earlier version's jars and archives go: the new jar names other dependencies
rm -f "$lib"/*.jar "$lib"/*.jsa
cp "$here"/lib/*.jar "$here/lib/classlist" "$lib/"
cp "$here/bin/userboot4j" "$prefix/bin/userboot4j"
ln -sf ../bin/userboot4j "$prefix/sbin/bhyveload"
cp "$here"/man/man8/*.8 "$mandir/man8/"
cp "$here"/doc/* "$doc/"
chmod 0755 "$prefix/bin/userboot4j"
chmod 0644 "$lib"/* "$mandir/man8/userboot4j.8" "$mandir/man8/bhyveload.8" "$doc"/*
mkdir -p "$prefix/share/bash-completion/completions" "$prefix/share/userboot4j"
cp "$here/completion/userboot4j.bash" "$prefix/share/bash-completion/completions/userboot4j"
cp "$here/completion/userboot4j.zsh" "$prefix/share/userboot4j/userboot4j.zsh"
chmod 0644 "$prefix/share/bash-completion/completions/userboot4j" "$prefix/share/userboot4j/userboot4j.zsh"

# The class-data-sharing archive for the Java found now; without it each start takes longer. After a
# Java upgrade the first run as root makes a new one.
if ! env USERBOOT4J_CDS=make "$prefix/bin/userboot4j"; then
  echo "install.sh: installed without a class-data-sharing archive (see the line above)" >&2
fi
echo "userboot4j installed under $prefix: bin/userboot4j, sbin/bhyveload, lib/userboot4j, $mandir/man8"
