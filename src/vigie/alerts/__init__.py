"""Saved searches and alerts (issue 17): `vigie alerts`, and a check after each poll of `vigie watch`.

A **saved search** (`Store.save_search`, table ``saved_searches``) is a `Store.search_all` query with its filters
(kinds, language, source, event type), the spikes it watches and where its alerts go (webhook URLs, e-mail
addresses). `check(store, now)` (`vigie.alerts.engine`) runs every saved search:

- **New matches**: the articles stored since the last check (article seq above the saved search's high-water mark,
  ``last_seq``) that match the query, as an article, a quote, an entity or an event. They make one alert per saved
  search, carrying the matching articles (id, title, url, source, published, link). The mark moves to the last
  article stored once every target took the alert; a target that failed gets the alert on the next check, and
  ``alerts_sent`` (one row per match and channel) makes sure no match is sent twice through a channel.
- **Spikes** (`vigie.alerts.spikes`): for each entity (canonical name), place (name) or event type (PLOVER) the saved
  search names, or for the day's top ones when it says ``top``, today's count (articles *published* today, UTC)
  against its own baseline over the previous 14 days (missing days count 0). The rule: a spike when
  ``today >= min_count (3)`` and ``today > mean + 3 * sd`` of the 14 daily counts (population sd). A spike is
  notified once per day, name and channel.

**Targets** (`vigie.alerts.notify`): a webhook gets a POST of the alert as JSON with the header
``X-Vigie-Signature: sha256=<hex HMAC-SHA256 of the body with VIGIE_WEBHOOK_SECRET>`` (no header when the secret is
unset), 10 s timeout, 2 retries after a connection error, a 429 or a 5xx. An e-mail address gets a plain-text
message through the SMTP server of the environment. A saved search without targets has its alerts printed (channel
``print``: the lines of `vigie alerts run`, or the log of `vigie watch`).

**Environment** (`vigie.alerts.config`):

- ``VIGIE_BASE_URL``: the web interface's address, for the links (default ``http://127.0.0.1:8000``);
- ``VIGIE_WEBHOOK_SECRET``: the HMAC key of the webhook signature;
- ``VIGIE_SMTP_HOST`` (required for e-mail), ``VIGIE_SMTP_PORT`` (default 25), ``VIGIE_SMTP_USER`` and
  ``VIGIE_SMTP_PASSWORD`` (a login when set), ``VIGIE_SMTP_FROM`` (default ``vigie@localhost``),
  ``VIGIE_SMTP_STARTTLS`` (``auto``: when the server offers it, the default; ``1``: required; ``0``: never).

This package imports the store only; `vigie.watch` imports it inside a function.
"""
