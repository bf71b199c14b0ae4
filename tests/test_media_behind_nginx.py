"""docs/deploy.md's nginx configuration for uploaded files, run: the app decides, nginx sends.

The `internal` location is taken from the documentation itself, so the text an operator copies
is what is tested. gunicorn serves the app with ``MEDIA_INTERNAL_URL``; nginx passes /media/ to it
and sends the file it names in ``X-Accel-Redirect``. Needs nginx (Debian's ``nginx-light``);
skipped where it is not installed.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from app_server import AppServer, free_port  # noqa: E402
from bench_env import HOST, server_environment  # noqa: E402

from tools.production_check import manage  # noqa: E402

NGINX = shutil.which("nginx") or next(
    (path for path in ("/usr/sbin/nginx",) if Path(path).exists()), None
)
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed")

SEED = """
from koproduktion.core.tests import samples
from koproduktion.core.tests.factories import MunicipalityFactory
from koproduktion.projects.services import document_add
from koproduktion.projects.tests.factories import ProjectFactory
town = MunicipalityFactory()
for published in (True, False):
    project = ProjectFactory(municipality=town, is_published=published)
    upload = samples.upload("Lageplan Straße.pdf", samples.PDF)
    print(document_add(project=project, title="Plan", file=upload).file.url)
"""


def _documented_location(media_root: Path) -> str:
    text = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    block = re.search(r"```nginx\n(.*?)```", text, re.DOTALL)
    assert block, "docs/deploy.md has no nginx block"
    location = re.search(r"location /internal-media/ \{.*?\n\}", block.group(1), re.DOTALL)
    assert location, "the nginx block has no internal-media location"
    return location.group(0).replace("/srv/koproduktion/media/", f"{media_root}/")


def _nginx_config(folder: Path, *, port: int, app_port: int, location: str) -> Path:
    temp = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    config = folder / "nginx.conf"
    # Started as root, nginx's workers would run as "nobody", who cannot read pytest's folders.
    user = "user root;" if os.geteuid() == 0 else ""
    config.write_text(
        f"""
{user}
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    server {{
        listen {HOST}:{port};
        location / {{
            proxy_pass http://{HOST}:{app_port};
            proxy_set_header Host {HOST};
        }}
        {location}
    }}
}}
""",
        encoding="utf-8",
    )
    return config


def _get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_nginx_sends_what_the_app_allows_with_the_download_headers(scratch_database, tmp_path):
    database_url = scratch_database("nginx")
    media = tmp_path / "media"
    env = server_environment(
        database_url, {"MEDIA_ROOT": str(media), "MEDIA_INTERNAL_URL": "/internal-media/"}
    )
    manage("migrate", "--noinput", env=env)
    result = manage("shell", "-c", SEED, env=env)
    public_url, draft_url = re.findall(r"^/media/\S+$", result.stdout, re.MULTILINE)

    with AppServer(database_url=database_url, env=env) as app:
        port = free_port()
        config = _nginx_config(
            tmp_path, port=port, app_port=app.port, location=_documented_location(media)
        )
        nginx = subprocess.Popen(
            [NGINX, "-c", str(config), "-p", str(tmp_path), "-e", str(tmp_path / "start.log")]
        )
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    status, headers, body = _get(port, public_url)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            assert status == 200
            assert body == (media / unquote(public_url.removeprefix("/media/"))).read_bytes()
            assert headers["Content-Type"] == "application/pdf"
            assert headers["Content-Disposition"].startswith("attachment;")
            assert headers["X-Content-Type-Options"] == "nosniff"
            assert headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
            assert headers["Cache-Control"] == "private"
            assert "X-Accel-Redirect" not in headers

            # A draft's document: the app refuses, nginx sends nothing.
            assert _get(port, draft_url)[0] == 404
            # Nor does nginx serve its internal location to anyone who asks.
            internal = "/internal-media/" + draft_url.removeprefix("/media/")
            assert _get(port, internal)[0] == 404
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)
