#!/usr/bin/env sh
# Install the tutor bundle for this user: ~/.local/opt/tutor, a menu entry and an icon.
#   sh packaging/linux/install.sh [dist/tutor]     (uninstall: sh packaging/linux/install.sh --remove)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
PREFIX=${PREFIX:-$HOME/.local}
TARGET="$PREFIX/opt/tutor"
APPS="$PREFIX/share/applications"
ICONS="$PREFIX/share/icons/hicolor"
if [ "${1:-}" = "--remove" ]; then
    rm -rf "$TARGET" "$APPS/tutor.desktop" "$ICONS/256x256/apps/tutor.png" "$ICONS/scalable/apps/tutor.svg" "$PREFIX/bin/tutor"
    echo "tutor desinstalado (tus ajustes e índices siguen en ~/.local/share/tutor)."
    exit 0
fi
BUNDLE=$(cd "${1:-$HERE/../../dist/tutor}" && pwd)
[ -x "$BUNDLE/tutor" ] || { echo "No encuentro el paquete en $BUNDLE (ejecuta antes: make bundle)" >&2; exit 2; }
mkdir -p "$PREFIX/opt" "$APPS" "$ICONS/256x256/apps" "$ICONS/scalable/apps" "$PREFIX/bin"
rm -rf "$TARGET"
cp -a "$BUNDLE" "$TARGET"
sed "s|@BUNDLE@|$TARGET|" "$HERE/tutor.desktop" > "$APPS/tutor.desktop"
cp "$HERE/tutor.png" "$ICONS/256x256/apps/tutor.png"
cp "$HERE/../../tutor/gui/icon.svg" "$ICONS/scalable/apps/tutor.svg" 2>/dev/null || true
ln -sf "$TARGET/tutor" "$PREFIX/bin/tutor"
command -v update-desktop-database >/dev/null && update-desktop-database "$APPS" || true
echo "tutor instalado en $TARGET; búscalo en el menú de aplicaciones o escribe: tutor"
