# Checks the tools of web/ before a recipe uses them: a Node new enough for web/package.json's
# "engines", and pnpm (installed with npm at the version mise.toml pins when it is missing).
# Sourced by the web recipes (just/web.just) after scripts/env.sh.

web_tools_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
web_node_required=$(sed -n 's/.*"node": *">=\([0-9.]*\)".*/\1/p' "$web_tools_root/web/package.json")
web_pnpm_pinned=$(sed -n 's/^pnpm *= *"\([^"]*\)".*/\1/p' "$web_tools_root/mise.toml")

if ! command -v node >/dev/null; then
  echo "web: Node.js is missing; web/ needs Node >= $web_node_required (mise.toml pins it: run \`mise install\`)" >&2
  return 1
fi
if ! node -e '
  const [want, have] = [process.argv[1], process.versions.node].map((v) => v.split(".").map(Number));
  const newer = want.findIndex((part, i) => have[i] !== part);
  process.exit(newer === -1 || have[newer] > want[newer] ? 0 : 1);
' "$web_node_required"; then
  echo "web: Node $(node --version) at $(command -v node) is too old; web/ needs Node >= $web_node_required." >&2
  echo "web: mise.toml pins the version: run \`mise install\` (or install Node $web_node_required+ and put it first on PATH)." >&2
  return 1
fi
if ! command -v pnpm >/dev/null; then
  echo "web: pnpm is missing; installing pnpm@${web_pnpm_pinned:-latest} with npm"
  if ! npm install --global --no-fund --no-audit "pnpm@${web_pnpm_pinned:-latest}"; then
    echo "web: could not install pnpm; run \`mise install\` or \`npm install -g pnpm@${web_pnpm_pinned:-latest}\`" >&2
    return 1
  fi
  hash -r
fi
unset web_tools_root web_node_required web_pnpm_pinned
