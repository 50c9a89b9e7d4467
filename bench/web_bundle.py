"""Size of the web app's production bundle: what index.html loads before the app runs."""

import gzip
import re
from pathlib import Path

from bench.common import run


def bench_web(project: Path) -> dict:
    """Initial JS and CSS of the production build: what index.html loads before the app runs."""
    run(["just", "web_build"], project)
    client = project / "web/build/client"
    index = (client / "index.html").read_text()
    assets = set(re.findall(r'(?:src|href)="(/assets/[^"]+\.(?:js|css))"', index))
    totals = {"js": [0, 0], "css": [0, 0]}
    for asset in assets:
        content = (client / asset.lstrip("/")).read_bytes()
        kind = totals[asset.rsplit(".", 1)[1]]
        kind[0] += len(content)
        kind[1] += len(gzip.compress(content, compresslevel=9))
    return {
        "files": len(assets),
        "js_bytes": totals["js"][0],
        "js_gzip_bytes": totals["js"][1],
        "css_bytes": totals["css"][0],
        "css_gzip_bytes": totals["css"][1],
    }
