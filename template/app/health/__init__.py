"""Operational probes for orchestrators and load balancers: `/livez` and `/readyz`."""
