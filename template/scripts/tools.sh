#!/usr/bin/env bash
# Installs the tools pinned in mise.toml: with mise when it is present, otherwise tool by tool from
# PyPI (uv, just, lefthook) and npm (pnpm), naming what must be installed by hand.
# Usage: scripts/tools.sh   (run by `just setup`)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'tools: %s\n' "$*" >&2; }

if command -v mise >/dev/null 2>&1; then
  say "installing the versions pinned in mise.toml with mise"
  if mise install; then exit 0; fi
  say "mise install failed; checking each tool instead"
fi

pinned() { sed -nE "s/^$1 = \"([^\"]+)\"/\1/p" mise.toml; }

missing=()
check() {
  local tool=$1 pin=${2:-$1} found
  if found=$(command -v "$tool" 2>/dev/null); then
    say "$tool: $found (mise.toml pins $pin $(pinned "$pin"))"
    return 0
  fi
  return 1
}

pip_install() {
  local tool=$1 package=$2
  check "$tool" && return 0
  if command -v uv >/dev/null 2>&1; then
    say "$tool: installing $package==$(pinned "$tool").* with uv tool install"
    if uv tool install --quiet "$package==$(pinned "$tool").*"; then
      command -v "$tool" >/dev/null || say "$tool: installed in $(uv tool dir --bin); add that directory to PATH"
      return 0
    fi
  fi
  missing+=("$tool (PyPI: pip install $package)")
}

npm_install() {
  local tool=$1
  check "$tool" && return 0
  if command -v npm >/dev/null 2>&1; then
    say "$tool: installing $tool@$(pinned "$tool") with npm install --global"
    npm install --global --silent "$tool@$(pinned "$tool")" && return 0
  fi
  missing+=("$tool (npm: npm install --global $tool@$(pinned "$tool"))")
}

if ! check uv; then
  if command -v pip3 >/dev/null 2>&1; then
    say "uv: installing uv==$(pinned uv).* with pip"
    pip3 install --quiet --user "uv==$(pinned uv).*" || missing+=("uv (https://docs.astral.sh/uv/)")
  else
    missing+=("uv (https://docs.astral.sh/uv/)")
  fi
fi
pip_install just rust-just
pip_install lefthook lefthook
# Python must be the pinned major.minor (.python-version says the same to uv): any other version
# is a missing tool, not a warning, or uv would build the environment with it.
python_pin=$(pinned python)
if command -v uv >/dev/null 2>&1 && found=$(uv python find "$python_pin" 2>/dev/null); then
  say "python: $found (mise.toml pins python $python_pin)"
else
  on_path=$(python3 -c 'import platform; print(platform.python_version())' 2>/dev/null || echo none)
  missing+=("python $python_pin, not found (python3 on PATH: $on_path); install $python_pin: uv python install $python_pin, pyenv or your package manager")
fi
check node || missing+=("node $(pinned node) (https://nodejs.org or npm install --global node@$(pinned node))")
npm_install pnpm
check direnv || say "direnv: not installed (optional: recipes load env/ themselves; https://direnv.net)"

if ((${#missing[@]})); then
  say "install these yourself, then run just setup again:"
  printf '  - %s\n' "${missing[@]}" >&2
  exit 1
fi
