"""The production deploy starts and serves pages (tools/production_check.py, also run by .ci/run).

Production settings, collected static files with their manifest, gunicorn: the documented deploy
once failed at ``collectstatic`` on a source map the vendored Leaflet referred to, and without the
manifest every page was a 500.
"""

from __future__ import annotations

from tools import production_check


def test_the_production_deploy_serves_pages_and_static_files(scratch_database, tmp_path):
    problems = production_check.run(database_url=scratch_database("production"), folder=tmp_path)
    assert problems == []


def test_no_vendored_file_refers_to_a_file_that_is_not_shipped():
    """``make vendor`` strips source-map comments: the maps are not shipped, and the manifest
    storage refuses to collect a file that refers to a missing one."""
    vendor = production_check.ROOT / "koproduktion" / "static" / "vendor"
    referring = [
        path.relative_to(vendor)
        for path in vendor.rglob("*")
        if path.suffix in {".js", ".css"} and "sourceMappingURL" in path.read_text()
    ]
    assert referring == []
