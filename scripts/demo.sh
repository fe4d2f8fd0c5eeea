#!/usr/bin/env bash
# Set up, then run the main job on the bundled sample: ingest 60 French Wikinews articles into an
# embedded SQLite database (demo.db), then show what is in it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/vigie ingest samples/wikinews-fr --db demo.db
.venv/bin/vigie stats --db demo.db
.venv/bin/vigie search "attentat" --db demo.db --limit 5
echo "Browse it: .venv/bin/vigie serve --db demo.db   (then open http://127.0.0.1:8000/)"
