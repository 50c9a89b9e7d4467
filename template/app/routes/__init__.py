"""HTTP routes, one module per area, each found by `app.discovery` (no list to edit here)."""

# Where the JSON API lives; every API router's prefix starts with it, and nothing else does.
API_PREFIX = "/api"
