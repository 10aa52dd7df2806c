#!/usr/bin/env bash
# Run the built bundle the way a student would: copied to a clean folder, no Python environment of the
# project, a scrubbed environment, the network blocked. Prints sizes and start-up times.
#   bash packaging/check_bundle.sh [dist/tutor] [folder for the screenshot]
set -euo pipefail
BUNDLE=$(cd "${1:-dist/tutor}" && pwd)
SHOTS=$(mkdir -p "${2:-build}" && cd "${2:-build}" && pwd)
[ -x "$BUNDLE/tutor" ] || { echo "No bundle at $BUNDLE: run make bundle" >&2; exit 2; }
T=$(mktemp -d /tmp/tutor-bundle-check.XXXXXX)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/home" "$T/tmp" "$T/data" "$T/work"
cp -a "$BUNDLE" "$T/app"
APP="$T/app/tutor"
CLEAN=(env -i "PATH=/usr/bin:/bin" "HOME=$T/home" "TMPDIR=$T/tmp" "TUTOR_HOME=$T/data" "LANG=C.UTF-8")
NET=()
if unshare -rn true 2>/dev/null; then NET=(unshare -rn); else echo "aviso: unshare -rn no disponible; red no bloqueada"; fi
cd "$T/work"
ms() { date +%s%N | cut -c1-13; }

echo "== tamaño"
du -sh "$BUNDLE" | cut -f1 | sed 's/^/bundle: /'
du -sh "$BUNDLE/_internal/models" "$BUNDLE/_internal/torch" "$BUNDLE/_internal/PySide6" 2>/dev/null || true

echo "== tutor --version (entorno limpio, sin red)"
start=$(ms)
version=$("${NET[@]}" "${CLEAN[@]}" "$APP" --version)
echo "$version  ($(( $(ms) - start )) ms)"
[[ "$version" == tutor* ]]

echo "== tutor ask en el curso de ejemplo incluido (entorno limpio, sin red)"
start=$(ms)
"${NET[@]}" "${CLEAN[@]}" "$APP" ask "¿Qué controla la temperatura?" --max-tokens 48 --seed 1 --json > "$T/answer.json"
echo "ask: $(( $(ms) - start )) ms (incluye indexar el curso de ejemplo la primera vez)"
"${CLEAN[@]}" /usr/bin/python3 - "$T/answer.json" <<'PY' || { cat "$T/answer.json"; exit 1; }
import json, sys
answer = json.load(open(sys.argv[1], encoding="utf-8"))
assert answer["answer"].strip() and answer["citations"], answer
print("respuesta:", answer["answer"][:160].replace("\n", " "))
print("cita:", answer["citations"][0]["file"], "p.", answer["citations"][0]["page"])
PY
start=$(ms)
"${NET[@]}" "${CLEAN[@]}" "$APP" ask "What does top-p control?" --max-tokens 16 --json > "$T/english.json"
echo "segunda pregunta, en inglés (índice hecho): $(( $(ms) - start )) ms"
"${CLEAN[@]}" /usr/bin/python3 - "$T/english.json" <<'PY' || { cat "$T/english.json"; exit 1; }
import json, sys
answer = json.load(open(sys.argv[1], encoding="utf-8"))
assert not answer["abstained"] and answer["citations"], answer  # an English question about Spanish notes
print("en inglés, cita:", answer["citations"][0]["file"], "p.", answer["citations"][0]["page"])
PY
leftovers=$(find "$T/home" "$T/tmp" -mindepth 1 | head -5)
[ -z "$leftovers" ] || { echo "escribió fuera de TUTOR_HOME: $leftovers" >&2; exit 1; }

if command -v Xvfb >/dev/null; then
    echo "== ventana bajo Xvfb"
    Xvfb :87 -screen 0 1400x900x24 >/dev/null 2>&1 &
    xvfb=$!
    sleep 2
    start=$(ms)
    "${CLEAN[@]}" DISPLAY=:87 TUTOR_EXIT_WHEN_SHOWN=1 "${NET[@]}" "$APP" gui | grep window_shown_s
    echo "de lanzar el ejecutable a ver la ventana (y cerrarla): $(( $(ms) - start )) ms"
    "${CLEAN[@]}" DISPLAY=:87 "${NET[@]}" "$APP" >/dev/null 2>&1 &
    app=$!
    sleep 20
    if command -v import >/dev/null; then
        DISPLAY=:87 import -window root "$SHOTS/bundle-window.png" && echo "captura: $SHOTS/bundle-window.png"
    fi
    kill $app 2>/dev/null || true
    wait $app 2>/dev/null || true
    kill $xvfb 2>/dev/null || true
else
    echo "aviso: sin Xvfb, no se prueba la ventana"
fi
echo "OK: el paquete funciona sin el entorno de Python del proyecto y sin red"
