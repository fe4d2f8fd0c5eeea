"""`vigie watch`: follow the news by itself (issue 15).

Sources are RSS/Atom feeds and XML sitemaps (indexes, Google News sitemaps, gzipped or not). Each poll fetches them
politely (`vigie.watch.http`: timeouts, retries, one request per host at a time, robots.txt, conditional GET), lists
the article URLs never seen before (`feeds`, `sitemaps`, `urls`), fetches their pages and turns them into articles
through the HTML reader of `vigie ingest` (`pages`), analyses and stores them as `vigie ingest` does (`poll`), and
remembers in the store what it saw (`state`, `vigie.store.watch`), so that a restart fetches nothing twice.
`command.watch` is the CLI command.
"""
from __future__ import annotations

from vigie import __version__

#: What `vigie watch` calls itself (`vigie --version` gives the same version); its first word is matched in robots.txt.
#: vigie has no public page to point a site's operator to: whoever runs a watch should say who they are with
#: `--user-agent "vigie/0.1 (+https://their.site/contact)"`.
DEFAULT_USER_AGENT = f"vigie/{__version__} (open-source news monitor; no contact set: see --user-agent)"

