#!/usr/bin/env bash
# Local HTTPS for `just dev`: Caddy serves https://$DEV_HOST:$DEV_HTTPS_PORT in front of Vite with
# a certificate from mkcert's local CA, which `mkcert -install` makes this machine's browsers trust.
# Usage: scripts/dev-https.sh available|certificate|serve
#   available    exit 0 when mkcert and caddy are on PATH and DEV_HTTPS is not 0
#   certificate  make the certificate for $DEV_HOST once (and install mkcert's CA, once)
#   serve        the certificate, then Caddy in the foreground (a process of Procfile.dev)
set -euo pipefail

directory=${DEV_HTTPS_DIR:-tmp/https}
export DEV_CERT_FILE="$directory/$DEV_HOST.pem" DEV_KEY_FILE="$directory/$DEV_HOST-key.pem"

case "${1:-serve}" in
  available)
    [[ ${DEV_HTTPS:-1} != 0 ]] && command -v mkcert >/dev/null && command -v caddy >/dev/null
    ;;
  certificate)
    if [[ ! -s $DEV_CERT_FILE || ! -s $DEV_KEY_FILE ]]; then
      mkdir -p "$directory"
      # Adds mkcert's CA to the system and browser (NSS: libnss3-tools) trust stores; asks for
      # sudo the first time on a workstation, does nothing when it is already there.
      mkcert -install
      mkcert -cert-file "$DEV_CERT_FILE" -key-file "$DEV_KEY_FILE" "$DEV_HOST"
    fi
    ;;
  serve)
    "$0" certificate
    exec caddy run --config Caddyfile --adapter caddyfile
    ;;
  *)
    echo "usage: scripts/dev-https.sh available|certificate|serve" >&2
    exit 2
    ;;
esac
