"""The client's address, parsed once per request: a valid IP address, or no address at all.

Behind a trusted proxy uvicorn takes the client from `X-Forwarded-For` as given, so the ASGI
scope may hold `not-an-ip`, `<script>` or a hundred characters. Everything downstream (per-address
rate limits, the session list, the audit trail) reads `request.client` and sees an address in its
canonical form or None.
"""

import ipaddress
from collections.abc import Sequence
from typing import Any


def parsed_client(client: Sequence[Any] | None) -> tuple[str, int] | None:
    """The ASGI scope's `client` as (canonical IP address, port), or None when it holds no IP.

    IPv6 zone ids (`fe80::1%eth0`) are refused too: they name an interface of the proxy, not a
    client, and have no length bound.
    """
    if not client:
        return None
    host, port = client[0], client[1]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id is not None:
        return None
    return str(address), port if isinstance(port, int) else 0
