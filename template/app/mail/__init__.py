"""Email: typed contexts, templated messages and the backends that deliver them (no jobs here)."""
