# Shared set-up for tools/start and tools/test: sourced, not run.
# Everything the project needs is installed here, so a fresh clone on a new machine works.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
cd "$ROOT"

say() { printf '\033[1m[chainmap]\033[0m %s\n' "$*" >&2; }

find_python() {
  for py in python3.13 python3.12 python3.11 python3; do
    # 2>/dev/null: a pyenv shim of a version not selected is found, then says so when run
    if command -v "$py" >/dev/null && "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$py"; return
    fi
  done
  say "Python 3.11 or newer is needed"; exit 1
}

# ensure_venv EXTRAS: a virtualenv with chainmap installed (editable) with those extras.
# Re-installs only when pyproject.toml changes.
ensure_venv() {
  local extras="$1" stamp want
  [[ -x "$VENV/bin/python" ]] || { say "creating $VENV"; "$(find_python)" -m venv "$VENV"; }
  stamp="$VENV/.installed-$extras"
  want="$(sha256sum pyproject.toml | cut -c1-16)"
  if [[ "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
    say "installing chainmap[$extras] into .venv (the first run takes a minute or two)"
    # uv installs the same packages from the same index as pip, in 4 s where pip took 42 s on a 2-core machine,
    # most of it byte-compiling all 10,000 modules: Python compiles the ~3,400 a run imports when it first
    # imports them, and keeps them (see PYTHONDONTWRITEBYTECODE below). pip stays the fallback.
    if "$VENV/bin/python" -m pip install -q uv && "$VENV/bin/uv" pip install -q \
         --python "$VENV/bin/python" -e ".[$extras]"; then :; else
      say "uv was not available or failed: installing with pip"
      "$VENV/bin/python" -m pip install -q --upgrade pip
      "$VENV/bin/python" -m pip install -q -e ".[$extras]"
    fi
    echo "$want" > "$stamp"
  fi
}

# Byte-code caches on, even where the machine turns them off (PYTHONDONTWRITEBYTECODE): else every process (a test
# worker, the app, each CLI or server process a test starts) compiles chainmap and its libraries from source, and
# pytest rewrites the test modules and its plugins' packages (hypothesis, ~1 s) in every worker, every run.
unset PYTHONDONTWRITEBYTECODE

# ensure_debs PKG...: install missing Debian packages (root, or passwordless sudo).
ensure_debs() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  ((${#missing[@]})) || return 0
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    if sudo -n true 2>/dev/null; then sudo="sudo"; else
      say "cannot install ${missing[*]}: not root and no sudo; tests that need them will be skipped"; return 0
    fi
  fi
  say "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
