#!/usr/bin/env bash
# Before `make run` builds anything: can this Linux desktop open a Qt window? If a system library that Qt's
# xcb plugin needs is missing, print the one command that installs it and stop (exit 1).
set -u
[ "$(uname -s)" = "Linux" ] || exit 0
case "${QT_QPA_PLATFORM:-}" in offscreen|minimal|vnc*) exit 0 ;; esac
table="$(dirname "$0")/../tutor/gui/qt_libs.tsv"
cache="$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null)"
debian=(); fedora=()
while IFS=$'\t' read -r soname deb fed; do
  case "$soname" in ''|'#'*) continue ;; esac
  case "$soname" in libwayland*) [ -n "${WAYLAND_DISPLAY:-}" ] || continue ;; esac  # only a Wayland session needs them
  if ! grep -q "^[[:space:]]*$soname " <<<"$cache"; then debian+=("$deb"); fedora+=("$fed"); fi
done < "$table"
[ ${#debian[@]} -eq 0 ] && exit 0
fedora_unique=$(printf '%s\n' "${fedora[@]}" | sort -u | tr '\n' ' ')
echo "Faltan bibliotecas del sistema para abrir la ventana de tutor (Qt, X11): ${debian[*]}" >&2
echo "Instálalas con:  sudo apt install ${debian[*]}" >&2
echo "(Fedora: sudo dnf install ${fedora_unique% })" >&2
exit 1
