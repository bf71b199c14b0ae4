#!/bin/sh
# Creates the isolated virtualenv that the opinion-map benchmark uses to run red-dwarf 0.4.0,
# the community Python port of the Polis math we compare against. It is kept apart from the
# project's environment so that red-dwarf's dependencies (pandas, scikit-learn, ...) never
# leak into Koproduktion.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv-reddwarf"
python="${PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import reddwarf" 2>/dev/null; then
    "$venv/bin/pip" install --quiet "red-dwarf==0.4.0"
fi
"$venv/bin/python" -c "import importlib.metadata as m; print('red-dwarf', m.version('red-dwarf'))"
