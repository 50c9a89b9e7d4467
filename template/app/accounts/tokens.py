"""Random secrets handed out once (cookies, emailed links) and the digests stored in their place."""

import hashlib
import secrets

TOKEN_BYTES = 32  # 256 bits, well above the 128 a guess must not find


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(token: str) -> bytes:
    """SHA-256 is enough for random tokens (no password stretching): a leaked table is useless."""
    return hashlib.sha256(token.encode()).digest()
