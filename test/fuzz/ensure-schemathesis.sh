#!/usr/bin/env bash
# Installs schemathesis (pinned) into a virtualenv cached in the user's home; prints its `st` path.
set -euo pipefail
VERSION=4.32.5
VENV="${XDG_CACHE_HOME:-$HOME/.cache}/crc-network/venv-schemathesis-$VERSION"
if [ ! -x "$VENV/bin/st" ]; then
  command -v python3 >/dev/null || { echo "python3 is needed for the API fuzzer (apt-get install python3 python3-venv)" >&2; exit 1; }
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install -q "schemathesis==$VERSION" >&2
fi
echo "$VENV/bin/st"
