"""schemathesis against the API of a running server, bounded in time (``make fuzz``).

    python -m tools.api_fuzz                    # about three minutes on two cores
    python -m tools.api_fuzz --max-time 30 --seed 1234

The demo town is prepared on SQLite in a temporary folder as tools/production_check.py does it
(production settings, gunicorn on a free port of 127.0.0.1), with an API key of the demo resident,
so that the writes are tried by a person who may make them. schemathesis reads
/api/v1/openapi.json and sends requests generated from it — valid and invalid — for
``--max-time`` seconds, with two checks: no answer is a server error (5xx), and every answer's
status is one the document names for that operation. Any failure, or a traceback in gunicorn's
log, fails the run; schemathesis prints how to reproduce each one (and its seed).

gunicorn refuses request lines over 4094 bytes with its own 414 page, before the app sees them
(a proxy in front has such a limit too); that limit is lifted here, so that schemathesis's long
generated addresses reach the API whose answers are checked.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from tools.production_check import (
    PYTHON,
    AppServer,
    fetch,
    manage,
    prepare,
    production_environment,
    server_environment,
)

CHECKS = "not_a_server_error,status_code_conformance"
TOWN = "musterstadt"
# Where the demo town keeps what each feature needs (as in tests/bad_input_demo.py).
PROJECTS = {"/polls": "buergerhaushalt-2027", "/tasks": "quartierstreff-nordstadt"}
PROJECTS["/milestones"] = PROJECTS["/tasks"]
IDEAS_PROJECT = "fahrradstrasse-hafenallee"
# The resident's API key, made with the accounts service as "Mein Konto → API-Schlüssel" does,
# and real ids of the demo town, as JSON.
DEMO_SCRIPT = f"""
import json
from django.db import transaction
from koproduktion.accounts.models import User
from koproduktion.accounts.services import api_token_create
from koproduktion.decisions.models import Poll
from koproduktion.ideas.models import Idea
from koproduktion.implementation.models import Commitment, Task
from koproduktion.opinions.models import Statement
resident = User.objects.get(email="buergerin@musterstadt.example")
with transaction.atomic():
    _, key = api_token_create(user=resident, name="make fuzz")
def ids(queryset):
    return list(queryset.order_by("pk").values_list("pk", flat=True)[:3])
print(json.dumps({{
    "key": key,
    "idea_id": ids(Idea.objects.filter(project__slug="{IDEAS_PROJECT}")),
    "statement_id": ids(Statement.objects.filter(project__slug="{IDEAS_PROJECT}")),
    "poll_id": ids(Poll.objects.filter(project__slug="{PROJECTS["/polls"]}")),
    "task_id": ids(Task.objects.filter(project__slug="{PROJECTS["/tasks"]}")),
    "commitment_id": ids(Commitment.objects.filter(user=resident)),
}}))
"""


def demo_values(env: dict[str, str]) -> dict[str, Any]:
    output = manage("shell", "--no-imports", "-c", DEMO_SCRIPT, env=env).stdout
    return json.loads(output.strip().splitlines()[-1])


def with_examples(document: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Real values of the demo town as examples of the path parameters, so that the generated
    requests reach the operations' work and not only their 404 (random values stay generated)."""
    for path, operations in document["paths"].items():
        project = next((slug for part, slug in PROJECTS.items() if part in path), IDEAS_PROJECT)
        examples = {"slug": [TOWN], "project_slug": [project], **values}
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and examples.get(parameter["name"]):
                    parameter["schema"]["examples"] = examples[parameter["name"]]
    return document


def fuzz(*, folder: Path, max_time: int, seed: int | None) -> int:
    """Prepare, serve, run schemathesis; its exit status, or 1 for a traceback in the log."""
    database_url = f"sqlite:///{folder / 'db.sqlite3'}"
    env = server_environment(
        database_url, production_environment(database_url=database_url, folder=folder)
    )
    prepare(env)
    values = demo_values(env)
    key = values.pop("key")
    env["GUNICORN_CMD_ARGS"] = "--limit-request-line 0"
    with AppServer(database_url=database_url, env=env) as server:
        # Fetched here, because the document is served over "https" only (behind the proxy).
        document = folder / "openapi.json"
        answer = fetch(server.base_url, "/api/v1/openapi.json")
        document.write_text(json.dumps(with_examples(json.loads(answer.body), values)))
        command = [
            str(Path(PYTHON).with_name("schemathesis")),
            "run",
            str(document),
            "--url",
            server.base_url,
            "--checks",
            CHECKS,
            "--max-time",
            str(max_time),
            "--header",
            "X-Forwarded-Proto: https",
            "--header",
            f"Authorization: Bearer {key}",
            "--request-timeout",
            "30",
            "--generation-database",
            "none",
            "--no-color",
            *(["--seed", str(seed)] if seed is not None else []),
        ]
        try:
            status = subprocess.run(
                command, cwd=folder, timeout=max_time + 120, check=False
            ).returncode
        except subprocess.TimeoutExpired:
            print(f"schemathesis did not end within {max_time + 120} s.", file=sys.stderr)
            status = 1
        log = server.log()
    if "Traceback" in log:
        print(f"gunicorn logged an exception:\n{log}", file=sys.stderr)
        return 1
    return status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-time", type=int, default=150, help="seconds of generated requests")
    parser.add_argument("--seed", type=int, help="schemathesis's seed, to repeat a run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="koproduktion-fuzz-") as name:
        return fuzz(folder=Path(name), max_time=args.max_time, seed=args.seed)


if __name__ == "__main__":
    sys.exit(main())
