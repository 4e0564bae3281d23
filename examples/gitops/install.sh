#!/bin/sh
# Make this project's venv: build cartesia-pulumi's wheel from a source checkout (the workflow
# checks out a pinned ref into .cartesia-pulumi), then install requirements.txt with that wheel
# available. Usage: ./install.sh [SOURCE_DIR]  (default: .cartesia-pulumi, else the repo root).
set -eu
cd "$(dirname "$0")"
src=${1:-.cartesia-pulumi}
[ -d "$src" ] || src=../..
wheels=$(mktemp -d)
python3 -m venv venv
venv/bin/pip install --quiet build
venv/bin/python -m build --wheel --outdir "$wheels" "$src" >/dev/null
venv/bin/pip install --quiet --find-links "$wheels" -r requirements.txt
echo "venv ready: $(venv/bin/python -c 'import cartesia_pulumi; print("cartesia-pulumi", cartesia_pulumi.__version__)')"
