#!/usr/bin/env python3
"""A fake GitHub CLI for template tests: records each call with its standard input.

Environment: FAKE_GH_LOG (JSON lines, one per call).
"""

import json
import os
import sys

if __name__ == "__main__":
    stdin = "" if sys.stdin.isatty() else sys.stdin.read()
    with open(os.environ["FAKE_GH_LOG"], "a") as log:
        log.write(json.dumps({"argv": sys.argv[1:], "stdin": stdin}) + "\n")
