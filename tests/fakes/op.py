#!/usr/bin/env python3
"""A fake 1Password CLI for template tests: records its calls, answers from a fixture vault.

Environment: FAKE_OP_LOG (JSON lines, one per call), FAKE_OP_VAULT (JSON object mapping
op:// references to values), FAKE_OP_SIGNED_IN ("1" when signed in).
"""

import json
import os
import re
import stat
import sys
from pathlib import Path

ENCLOSED = re.compile(r"\{\{\s*(op://[A-Za-z0-9_.?/-]+)\s*\}\}")


def record(entry: dict) -> None:
    with open(os.environ["FAKE_OP_LOG"], "a") as log:
        log.write(json.dumps(entry) + "\n")


def fail(message: str) -> None:
    print(f"[ERROR] 2026/11/28 00:00:00 {message}", file=sys.stderr)
    sys.exit(1)


def require_sign_in() -> None:
    if os.environ.get("FAKE_OP_SIGNED_IN") != "1":
        fail("no account found for filter; you are not currently signed in")


def vault() -> dict[str, str]:
    return json.loads(Path(os.environ["FAKE_OP_VAULT"]).read_text())


def resolve(reference: str) -> str:
    values = vault()
    if reference not in values:
        fail(f'could not read secret "{reference}": item not found in vault')
    return values[reference]


def option(args: list[str], *names: str) -> str | None:
    for index, arg in enumerate(args):
        for name in names:
            if arg == name and index + 1 < len(args):
                return args[index + 1]
            if arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return None


def inject(args: list[str]) -> None:
    require_sign_in()
    in_file = option(args, "--in-file", "-i")
    template = Path(in_file).read_text() if in_file else sys.stdin.read()
    resolved = ENCLOSED.sub(lambda match: resolve(match.group(1)), template)
    out_file = option(args, "--out-file", "-o")
    if out_file is None:
        sys.stdout.write(resolved)
        return
    target = Path(out_file)
    if target.exists() and not ({"--force", "-f"} & set(args)):
        fail(f"file {out_file} already exists; use --force to overwrite it")
    mode = int(option(args, "--file-mode") or "0600", 8)
    target.write_text(resolved)
    target.chmod(mode)
    record({"wrote": str(target), "mode": stat.S_IMODE(target.stat().st_mode)})


def main(args: list[str]) -> None:
    record({"argv": args})
    match args:
        case ["whoami", *_]:
            require_sign_in()
            print("URL: https://fake.1password.com\nUser Type: HUMAN")
        case ["read", reference, *_]:
            require_sign_in()
            sys.stdout.write(resolve(reference))
        case ["inject", *rest]:
            inject(rest)
        case ["service-account", "create", name, *rest]:
            require_sign_in()
            token = f"ops_fake_token_for_{name}"
            print(token if "--raw" in rest else f"Service account created.\nToken: {token}")
        case _:
            print(f"fake op does not implement: {' '.join(args)}", file=sys.stderr)
            sys.exit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
