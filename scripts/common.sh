# Shared by ./run and ./test (sourced, not executed): idempotent installs and the UI build.
# Every install is guarded by a real check, so a fresh Debian 12 machine gets everything and a machine
# that has it skips straight to building. Downloads come only from Debian, crates.io (and rustup's own
# targets), and PyPI.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$PATH"
# One profile (release) and one target dir (target/) for every script, so nothing is built twice.
unset CARGO_TARGET_DIR
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-auto}"

WASM_TARGET=wasm32-unknown-unknown
E2E_VENV="$ROOT/target/e2e-venv"
APT_PACKAGES=(
  build-essential pkg-config libssl-dev ca-certificates # native builds (rusqlite bundles SQLite)
  libwebkit2gtk-4.1-dev                                # the Tauri shell (gtk3, webkit, soup3)
  xvfb xauth webkit2gtk-driver imagemagick             # the desktop e2e test (WebKitWebDriver, screenshots)
  chromium chromium-driver                             # wasm-bindgen-test in headless chromium
  fonts-dejavu-core                                    # the font the UI and the charts use
  python3-venv                                         # the e2e test's venv (selenium, pytest)
)

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_apt_packages() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    echo "apt: all ${#APT_PACKAGES[@]} packages present"
    return
  fi
  say "apt: installing ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

ensure_rust() {
  if ! command -v cargo >/dev/null 2>&1 || ! command -v rustup >/dev/null 2>&1; then
    echo "error: cargo and rustup are needed (Rust >= 1.84). Install rustup, then rerun." >&2
    exit 1
  fi
  if ! rustup target list --installed | grep -qx "$WASM_TARGET"; then
    say "rustup: adding the $WASM_TARGET target"
    rustup target add "$WASM_TARGET"
  fi
  if ! cargo clippy --version >/dev/null 2>&1; then
    say "rustup: adding clippy"
    rustup component add clippy
  fi
  echo "rust: $(rustc --version), targets and clippy present"
}

# The wasm-bindgen version in Cargo.lock: the CLI must be exactly that version.
locked_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_bindgen_cli() {
  local want have
  want="$(locked_wasm_bindgen_version)"
  if [ -z "$want" ]; then
    echo "error: no wasm-bindgen in Cargo.lock" >&2
    exit 1
  fi
  have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
  if [ "$have" = "$want" ] && command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
    echo "wasm-bindgen-cli: $have (matches Cargo.lock)"
    return
  fi
  say "cargo install wasm-bindgen-cli $want (have: ${have:-none}; ~4 min)"
  # Not --locked: its lockfile wants a crate newer than the registry serves (see toolchain notes).
  cargo install wasm-bindgen-cli --version "$want" --force
}

ensure_tauri_driver() {
  if command -v tauri-driver >/dev/null 2>&1; then
    echo "tauri-driver: present"
    return
  fi
  say "cargo install tauri-driver (~1 min)"
  cargo install tauri-driver --version "^2" --locked
}

ensure_e2e_venv() {
  local want have=""
  want="$(sha256sum "$ROOT/tests/e2e/requirements.txt" | cut -d' ' -f1)"
  [ -f "$E2E_VENV/.requirements.sha256" ] && have="$(cat "$E2E_VENV/.requirements.sha256")"
  if [ "$have" = "$want" ] && "$E2E_VENV/bin/python" -c "import selenium, pytest" 2>/dev/null; then
    echo "e2e venv: present ($E2E_VENV)"
    return
  fi
  say "python venv for the e2e test: $E2E_VENV"
  # Debian's python (python3-venv), not whatever python3 comes first on PATH.
  /usr/bin/python3 -m venv --clear "$E2E_VENV"
  "$E2E_VENV/bin/pip" install -q -r "$ROOT/tests/e2e/requirements.txt"
  echo "$want" >"$E2E_VENV/.requirements.sha256"
}

# Everything ./run needs.
ensure_app_prerequisites() {
  say "Checking prerequisites"
  ensure_apt_packages
  ensure_rust
  ensure_wasm_bindgen_cli
}

# Everything ./test needs on top.
ensure_test_prerequisites() {
  ensure_app_prerequisites
  ensure_tauri_driver
  ensure_e2e_venv
}

# Copies $1/* into $2, touching only files whose content changed and deleting stale ones, so an unchanged
# UI does not make cargo rebuild the shell (tauri embeds ui/dist and watches it).
sync_dir() {
  local src="$1" dst="$2" f name
  mkdir -p "$dst"
  for f in "$src"/*; do
    name="$(basename "$f")"
    cmp -s "$f" "$dst/$name" || cp "$f" "$dst/$name"
  done
  for f in "$dst"/*; do
    name="$(basename "$f")"
    [ -e "$src/$name" ] || rm -rf "$f"
  done
}

# Builds the Yew UI into ui/dist (plain wasm-bindgen route, no trunk).
build_ui() {
  local stage="$ROOT/target/ui-stage"
  cargo build --release -p faultline-ui --lib --target "$WASM_TARGET"
  rm -rf "$stage"
  mkdir -p "$stage"
  wasm-bindgen --target web --no-typescript --out-name faultline_ui --out-dir "$stage" \
    "$ROOT/target/$WASM_TARGET/release/faultline_ui.wasm"
  cp "$ROOT/ui/index.html" "$ROOT/ui/main.js" "$ROOT/ui/style.css" "$stage/"
  sync_dir "$stage" "$ROOT/ui/dist"
  echo "UI built into ui/dist ($(du -sh "$ROOT/ui/dist" | cut -f1))"
}

# Builds the desktop app (the UI first: tauri embeds ui/dist at compile time).
build_app() {
  build_ui
  cargo build --release -p faultline-app
}
