#!/usr/bin/env bash
# The desktop end-to-end test: runs tests/e2e (pytest + selenium) against the built app
# (target/release/faultline-app) through tauri-driver and WebKitWebDriver, on a private Xvfb display,
# with XDG_DATA_HOME/XDG_CACHE_HOME/XDG_CONFIG_HOME in a temp dir so the real user data is never touched.
# Needs: ./test's prerequisites and a built app. Screenshots go to target/e2e/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"

APP="$ROOT/target/release/faultline-app"
[ -x "$APP" ] || { echo "error: $APP is not built (run ./test)" >&2; exit 1; }

TMP="$(mktemp -d -t faultline-e2e.XXXXXX)"
XVFB_PID=""
cleanup() {
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

# Xvfb picks a free display itself and writes its number to fd 3.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$TMP/display" 2>"$TMP/xvfb.log" &
XVFB_PID=$!
for _ in $(seq 1 100); do
  [ -s "$TMP/display" ] && break
  sleep 0.1
done
[ -s "$TMP/display" ] || { echo "error: Xvfb did not start:" >&2; cat "$TMP/xvfb.log" >&2; exit 1; }
export DISPLAY=":$(head -n1 "$TMP/display")"
echo "Xvfb on $DISPLAY"

mkdir -p "$TMP/data" "$TMP/cache" "$TMP/config" "$ROOT/target/e2e"
export XDG_DATA_HOME="$TMP/data" XDG_CACHE_HOME="$TMP/cache" XDG_CONFIG_HOME="$TMP/config"
export FAULTLINE_APP="$APP" FAULTLINE_E2E_OUT="$ROOT/target/e2e"
# The app answers its file dialogs from this file when it exists (see src-tauri/src/commands.rs).
export FAULTLINE_SCRIPTED_DIALOG="$TMP/dialog-answer"
# A ceiling on the app's BDD nodes that every sample fits under and nus9601 of the Aralia set does not, so a
# test sees the "too large" path in seconds (the default is 2^24 nodes).
export FAULTLINE_MAX_BDD_NODES=1000000
unset WAYLAND_DISPLAY

"$ROOT/target/e2e-venv/bin/python" -m pytest -p no:cacheprovider -v "${FAULTLINE_E2E_TESTS:-$ROOT/tests/e2e}" "$@"
