"""Email: templated messages, delivered only by the `mail.deliver_email` job (see service.py)."""
