import subprocess
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[1] / "koproduktion/locale/en/LC_MESSAGES/django.po"


def test_english_catalogue_is_complete():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(CATALOGUE)],
        capture_output=True,
        text=True,
        check=True,
    )
    # msgfmt reports e.g. "195 translated messages." and names untranslated or fuzzy ones.
    assert "translated messages" in result.stderr
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr
