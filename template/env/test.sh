# Tests (`just test`, CI): a database and Redis database of their own, so tests never touch dev data
# (the backend suite's parallel workers each take their own from these: tests/conftest.py).
export ENVIRONMENT=test
export SECRET_KEY=test-only-secret-key-not-for-production-use
export DATABASE_URL="postgresql://${POSTGRES_USER}:${POSTGRES_PASSWORD}@127.0.0.1:${POSTGRES_PORT}/${POSTGRES_DB}_test"
export REDIS_URL="redis://127.0.0.1:${REDIS_PORT}/1"
# The browser suite's own (`just browser_test` points DATABASE_URL and REDIS_URL at them), so that
# `just test` runs it beside the backend suite.
export BROWSER_TEST_DATABASE_URL="postgresql://${POSTGRES_USER}:${POSTGRES_PASSWORD}@127.0.0.1:${POSTGRES_PORT}/${POSTGRES_DB}_browser_test"
export BROWSER_TEST_REDIS_URL="redis://127.0.0.1:${REDIS_PORT}/2"
export LOG_LEVEL=WARNING
# Proxies on this machine (Vite, Caddy) name the client in X-Forwarded-For (app/settings.py).
export FORWARDED_ALLOW_IPS="127.0.0.1,::1"
export MAIL_BACKEND=capture
export MAIL_CAPTURE_DIR=tmp/test-artifacts/mail
# Tests keep bytecode even where PYTHONDONTWRITEBYTECODE is set (CI, containers): pytest rewrites the
# asserts of every module of the tests and of its plugins (hypothesis, schemathesis, Faker…) and
# caches the result as bytecode; without the cache each pytest start redid it (~5 s of CPU), and
# every server and worker the tests start compiled the app's modules again.
unset PYTHONDONTWRITEBYTECODE
