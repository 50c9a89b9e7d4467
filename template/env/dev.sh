# Local development (the default layer). Not secret: these values only ever reach 127.0.0.1.
export ENVIRONMENT=development
export SECRET_KEY=dev-only-secret-key-not-for-production-use
export LOG_LEVEL=INFO
export SMTP_PORT=${MAILPIT_SMTP_PORT}
# `just dev` serves the app through Vite, so emailed links open its port.
export PUBLIC_URL="http://127.0.0.1:${WEB_PORT}"
# Proxies on this machine (Vite, Caddy) name the client in X-Forwarded-For (app/settings.py).
export FORWARDED_ALLOW_IPS="127.0.0.1,::1"
