"""Secrets for a deployed process, read from SSM Parameter Store at start.

The CDK stack gives each process `FAMACT_SSM_PARAMETERS`, a comma-separated list of
`VARIABLE=/parameter/name` pairs (SecureString parameters; a name ending in `?` is optional,
as the Jina key is), and grants its role
`ssm:GetParameters` on exactly those names. `load_parameters` reads them (decrypted) into
this process's environment, so keys never sit in code, an image, a task definition or an
environment file; the settings then read them as they do locally.

`python -m famact.app.aws_env COMMAND ...` loads them and then execs COMMAND (the crawl
node's scrapyd, the orchestrator task, the API under the Lambda Web Adapter).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any

PARAMETERS_VARIABLE = "FAMACT_SSM_PARAMETERS"
GET_PARAMETERS_LIMIT = 10  # SSM GetParameters takes at most 10 names a call


class ParameterError(RuntimeError):
    """A missing or malformed parameter mapping; the message names the variable or parameter."""


def parse_mapping(raw: str) -> dict[str, str]:
    """`A=/x/a,B=/x/b?` -> {"A": "/x/a", "B": "/x/b?"}; an empty string maps nothing."""
    mapping: dict[str, str] = {}
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        variable, sep, name = part.partition("=")
        variable, name = variable.strip(), name.strip()
        if not sep or not variable.isidentifier() or not name.startswith("/"):
            raise ParameterError(f"{PARAMETERS_VARIABLE}: {part!r} is not VARIABLE=/parameter/name")
        mapping[variable] = name
    return mapping


def load_parameters(environ: MutableMapping[str, str] | None = None, *, client: Any = None) -> list[str]:
    """Set each mapped variable from its parameter; the variables set. A variable already
    set in the environment wins (a local run can override), and a missing parameter is an
    error naming it: a process must not start half-configured."""
    env = os.environ if environ is None else environ
    mapping = {k: v for k, v in parse_mapping(env.get(PARAMETERS_VARIABLE, "")).items() if not env.get(k)}
    if not mapping:
        return []
    if client is None:
        import boto3

        client = boto3.client("ssm")
    values = _fetch(client, sorted({name.rstrip("?") for name in mapping.values()}))
    missing = sorted(n for n in mapping.values() if not n.endswith("?") and n not in values)
    if missing:
        raise ParameterError(f"SSM parameter not found: {', '.join(missing)}")
    loaded = []
    for variable, name in mapping.items():
        if name.rstrip("?") in values:
            env[variable] = values[name.rstrip("?")]
            loaded.append(variable)
    return sorted(loaded)


def _fetch(client: Any, names: list[str]) -> Mapping[str, str]:
    values: dict[str, str] = {}
    for start in range(0, len(names), GET_PARAMETERS_LIMIT):
        response = client.get_parameters(
            Names=names[start : start + GET_PARAMETERS_LIMIT], WithDecryption=True
        )
        for parameter in response.get("Parameters", []):
            values[parameter["Name"]] = parameter["Value"]
    return values


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m famact.app.aws_env COMMAND [ARGS...]", file=sys.stderr)
        return 2
    try:
        load_parameters()
    except ParameterError as exc:
        print(f"famact: error: {exc}", file=sys.stderr)
        return 1
    os.execvp(args[0], args)
    return 0  # not reached: execvp replaces this process


if __name__ == "__main__":
    raise SystemExit(main())
