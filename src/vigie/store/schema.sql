-- vigie store schema (SQLite). Applied with CREATE ... IF NOT EXISTS, so re-applying is harmless.
-- The version lives in PRAGMA user_version (set by the code, see vigie.store.sqlite.SCHEMA_VERSION).
-- schema_pg.sql is the same schema for PostgreSQL: keep the two in step.

CREATE TABLE IF NOT EXISTS articles (
    id              TEXT PRIMARY KEY,
    -- Stable integer key for the FTS index. The implicit rowid of a table without an
    -- INTEGER PRIMARY KEY may be renumbered by VACUUM, which would silently break an
    -- external-content FTS index, so the index is keyed on this column instead.
    seq             INTEGER NOT NULL UNIQUE,
    url             TEXT,
    title           TEXT,
    source          TEXT,
    author          TEXT,
    published       TEXT,            -- ISO date YYYY-MM-DD when known
    language        TEXT,
    language_score  REAL,
    raw             TEXT NOT NULL,
    text            TEXT NOT NULL,
    origin          TEXT NOT NULL DEFAULT '',
    meta            TEXT NOT NULL DEFAULT '{}',   -- JSON object
    n_removed_lines INTEGER NOT NULL DEFAULT 0,
    content_hash    TEXT NOT NULL,   -- sha256 of every stored field + annotations
    input_digest    TEXT,            -- sha256 of what the reader gave (id, raw text, metadata): a rerun skips it
    ingested_at     TEXT NOT NULL,   -- ISO 8601 UTC, first time stored
    updated_at      TEXT NOT NULL    -- ISO 8601 UTC, last time the content changed
);

CREATE INDEX IF NOT EXISTS idx_articles_published ON articles (published);
CREATE INDEX IF NOT EXISTS idx_articles_language ON articles (language);

CREATE TABLE IF NOT EXISTS entities (
    article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,    -- position in Article.entities
    text        TEXT NOT NULL,
    label       TEXT NOT NULL,
    "start"     INTEGER NOT NULL,    -- offsets into articles.text
    "end"       INTEGER NOT NULL,
    canonical   TEXT NOT NULL,
    extractor   TEXT NOT NULL,
    confidence  REAL,
    PRIMARY KEY (article_id, idx)
);

CREATE INDEX IF NOT EXISTS idx_entities_canonical ON entities (canonical);
CREATE INDEX IF NOT EXISTS idx_entities_label ON entities (label);

CREATE TABLE IF NOT EXISTS removed_lines (
    article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    line_no     INTEGER NOT NULL,    -- 0-based index in raw.splitlines()
    text        TEXT NOT NULL,
    reason      TEXT NOT NULL
);

CREATE INDEX IF NOT EXISTS idx_removed_lines_article ON removed_lines (article_id, line_no);

CREATE TABLE IF NOT EXISTS errors (
    id          INTEGER PRIMARY KEY,
    origin      TEXT NOT NULL,
    article_id  TEXT,                -- no FK: the article may never have been stored
    stage       TEXT NOT NULL,       -- read | clean | langid | nlp | store
    reason      TEXT NOT NULL,
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    count       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (origin, stage)
);

CREATE INDEX IF NOT EXISTS idx_errors_article ON errors (article_id);

-- Full-text index over title + text, external content on articles, kept in sync by triggers.
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5 (
    title,
    text,
    content = 'articles',
    content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER IF NOT EXISTS articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
END;

CREATE TRIGGER IF NOT EXISTS articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    VALUES ('delete', old.seq, old.title, old.text);
END;

CREATE TRIGGER IF NOT EXISTS articles_fts_update AFTER UPDATE OF seq, title, text ON articles
WHEN old.seq IS NOT new.seq OR old.title IS NOT new.title OR old.text IS NOT new.text
BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text)
    VALUES ('delete', old.seq, old.title, old.text);
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
END;

-- Extractor output (schema version 2). Offsets are into articles.text; idx is the position in the
-- matching Article list. Columns are the fields of the model dataclasses (vigie.records).
CREATE TABLE IF NOT EXISTS quotes (
    article_id    TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    text          TEXT NOT NULL,
    "start"       INTEGER NOT NULL,
    "end"         INTEGER NOT NULL,
    speaker       TEXT,              -- canonical name, NULL when unknown
    cue           TEXT,              -- reporting verb's infinitive, or selon / according to
    direct        INTEGER NOT NULL,  -- 1 verbatim, 0 indirect speech
    speaker_text  TEXT,
    speaker_start INTEGER,
    speaker_end   INTEGER,
    extractor     TEXT NOT NULL,
    confidence    REAL,
    PRIMARY KEY (article_id, idx)
);

CREATE INDEX IF NOT EXISTS idx_quotes_speaker ON quotes (speaker);

CREATE TABLE IF NOT EXISTS dates (
    article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    "start"     INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    value       TEXT,                -- ISO day, week, month, year or day/day range
    granularity TEXT NOT NULL,
    extractor   TEXT NOT NULL,
    confidence  REAL,
    PRIMARY KEY (article_id, idx)
);

CREATE INDEX IF NOT EXISTS idx_dates_value ON dates (value);

CREATE TABLE IF NOT EXISTS quantities (
    article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    "start"     INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    value       REAL,
    low         REAL,
    high        REAL,
    unit        TEXT,
    approx      INTEGER NOT NULL,
    role        TEXT,
    extractor   TEXT NOT NULL,
    confidence  REAL,
    PRIMARY KEY (article_id, idx)
);

CREATE INDEX IF NOT EXISTS idx_quantities_role ON quantities (role);

-- Measurements (schema version 4; sqlite.CREATE_MEASURES creates the same table in older databases).
CREATE TABLE IF NOT EXISTS measures (
    article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,    -- position in Article.measures
    text        TEXT NOT NULL,
    "start"     INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    value       REAL,                -- NULL when only bounds are known
    low         REAL,
    high        REAL,
    unit        TEXT,                -- normalised symbol: kg, km, km/h, °C
    extractor   TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
);

CREATE TABLE IF NOT EXISTS places (
    article_id  TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    "start"     INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    name        TEXT,                -- usual name in the article's language; NULL when unresolved
    country     TEXT,                -- ISO 3166-1 alpha-2
    kind        TEXT,                -- country | admin | city | other
    lat         REAL,
    lon         REAL,
    geonames_id INTEGER,
    main        INTEGER NOT NULL,    -- 1 for the article's main location
    extractor   TEXT NOT NULL,
    confidence  REAL,
    PRIMARY KEY (article_id, idx)
);

CREATE INDEX IF NOT EXISTS idx_places_name ON places (name);
CREATE INDEX IF NOT EXISTS idx_places_country ON places (country);

CREATE TABLE IF NOT EXISTS events (
    article_id       TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    idx              INTEGER NOT NULL,
    type             TEXT NOT NULL,   -- PLOVER type
    mode             TEXT,
    "start"          INTEGER NOT NULL, -- trigger span in articles.text
    "end"            INTEGER NOT NULL,
    trigger          TEXT NOT NULL,
    source           TEXT,
    source_country   TEXT,            -- ISO 3166-1 alpha-3 or IGO
    source_sector    TEXT,
    target           TEXT,
    target_country   TEXT,
    target_sector    TEXT,
    location         TEXT,
    location_country TEXT,            -- ISO 3166-1 alpha-2
    date             TEXT,
    date_inferred    INTEGER NOT NULL,
    killed           REAL,
    injured          REAL,
    arrested         REAL,
    size             REAL,
    context          TEXT NOT NULL,   -- JSON list: negated, hypothetical, future, historical
    evidence         TEXT NOT NULL,
    evidence_start   INTEGER NOT NULL,
    evidence_end     INTEGER NOT NULL,
    mentions         TEXT NOT NULL,   -- JSON list of [start, end] trigger spans merged into this event
    extractor        TEXT NOT NULL,
    confidence       REAL,
    PRIMARY KEY (article_id, idx)
);

CREATE INDEX IF NOT EXISTS idx_events_type ON events (type, mode);
CREATE INDEX IF NOT EXISTS idx_events_date ON events (date);
CREATE INDEX IF NOT EXISTS idx_events_source ON events (source);
CREATE INDEX IF NOT EXISTS idx_events_target ON events (target);
CREATE INDEX IF NOT EXISTS idx_events_location ON events (location);

-- Deduplication (schema version 5; sqlite.CREATE_DEDUP creates the same tables in older databases).
-- An article's fingerprint (vigie.dedup): what the index of originals is rebuilt from.
CREATE TABLE IF NOT EXISTS fingerprints (
    article_id  TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    scheme      TEXT NOT NULL,       -- what made it (vigie.dedup.config.DedupConfig.scheme)
    body_hash   TEXT NOT NULL,       -- sha256 of the normalised body: exact duplicates
    signature   BLOB NOT NULL,       -- MinHash of the word shingles: num_perm little-endian uint32
    shingles    INTEGER NOT NULL     -- distinct shingles of the content
);

-- A duplicate and its original: the duplicate is a stored article (its text, its source, no annotations: it is
-- not analysed) and this row gives its original its source, URL and date. One row per duplicate.
CREATE TABLE IF NOT EXISTS article_sources (
    duplicate_id  TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    article_id    TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,  -- the original
    source        TEXT,
    url           TEXT,
    published     TEXT,
    method        TEXT NOT NULL,     -- exact (same normalised body) | near (MinHash LSH, verified)
    similarity    REAL NOT NULL      -- share of the shorter text's shingles found in the other (1 for exact)
);

CREATE INDEX IF NOT EXISTS idx_article_sources_article ON article_sources (article_id);

-- Stories (schema version 6; sqlite.CREATE_STORIES creates the same table in older databases).
-- An analysed original's story (vigie.stories): its story id (the id of the story's first article) and the features
-- it was placed with (ArticleFeatures.to_dict() as JSON), read back to place the next run's articles. A duplicate
-- has no row: it takes its original's story.
CREATE TABLE IF NOT EXISTS article_stories (
    article_id  TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story_id    TEXT NOT NULL,
    scheme      TEXT,                -- StoryModel.feature_scheme() of the features (another one: computed again)
    features    TEXT                 -- ArticleFeatures.to_dict() as JSON
);

CREATE INDEX IF NOT EXISTS idx_article_stories_story ON article_stories (story_id);

-- Events across articles (schema version 7; sqlite._create_crossdoc creates the same tables in older databases).
-- One row per real-world event (vigie.events.crossdoc) built from the article records of `events` (and, for a
-- duplicate, its original's) by vigie.steps.crossdoc after each run; event_id is the id of its earliest mention, so
-- it changes when an earlier article joins. JSON columns are text on both backends.
CREATE TABLE IF NOT EXISTS crossdoc_events (
    event_id         TEXT PRIMARY KEY,
    type             TEXT NOT NULL,
    mode             TEXT,
    source           TEXT,
    source_country   TEXT,
    source_sector    TEXT,
    target           TEXT,
    target_country   TEXT,
    target_sector    TEXT,
    location         TEXT,
    location_country TEXT,
    lat              REAL,
    lon              REAL,
    location_kind    TEXT,
    date             TEXT,
    date_inferred    INTEGER NOT NULL,
    context          TEXT NOT NULL,   -- JSON list
    counts           TEXT NOT NULL,   -- JSON {killed|injured|arrested|size: {low, high, reports}}: a range, never a sum
    n_articles       INTEGER NOT NULL,
    n_sources        INTEGER NOT NULL, -- a duplicate group, and the articles of one publisher, count once
    n_mentions       INTEGER NOT NULL,
    first_seen       TEXT,            -- earliest and latest publication date of its articles
    last_seen        TEXT,
    stories          TEXT NOT NULL,   -- JSON list of story ids
    confidence       REAL NOT NULL,
    digest           TEXT NOT NULL    -- sha1 of the whole record: a run rewrites only the events that changed
);

CREATE INDEX IF NOT EXISTS idx_crossdoc_events_type ON crossdoc_events (type);
CREATE INDEX IF NOT EXISTS idx_crossdoc_events_first_seen ON crossdoc_events (first_seen);

-- Every mention of a cross-document event (GDELT's Mentions table): one article's event record (a copy's are its
-- original's, at the original's offsets).
CREATE TABLE IF NOT EXISTS crossdoc_mentions (
    event_id        TEXT NOT NULL REFERENCES crossdoc_events (event_id) ON DELETE CASCADE,
    article_id      TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    "start"         INTEGER NOT NULL, -- the trigger of the article's event record
    "end"           INTEGER NOT NULL,
    type            TEXT NOT NULL,    -- as this article coded it
    mode            TEXT,
    confidence      REAL NOT NULL,
    evidence_start  INTEGER NOT NULL,
    evidence_end    INTEGER NOT NULL,
    PRIMARY KEY (article_id, "start", "end")
);

CREATE INDEX IF NOT EXISTS idx_crossdoc_mentions_event ON crossdoc_mentions (event_id);

-- Watched sources and items (schema version 8; sqlite._create_watch creates the same tables in older databases).
-- What `vigie watch` (vigie.watch) has seen, so that a restart fetches nothing twice. One row per feed or sitemap
-- document it fetched (a watched source, or a sitemap listed by a sitemap index: `parent`) with the validators of
-- its last full answer, sent back as If-None-Match / If-Modified-Since; one row per article URL a source listed.
CREATE TABLE IF NOT EXISTS watch_sources (
    url            TEXT PRIMARY KEY,
    parent         TEXT,             -- the sitemap index that listed it, NULL for a watched source
    kind           TEXT,             -- feed | sitemap | sitemapindex (NULL until read once)
    etag           TEXT,
    last_modified  TEXT,
    last_polled    TEXT,             -- ISO 8601 UTC
    last_status    TEXT              -- new | unchanged | failed: why
);

CREATE TABLE IF NOT EXISTS watch_items (
    url         TEXT PRIMARY KEY,    -- normalised: no fragment, no tracking parameters (vigie.watch.urls)
    source      TEXT NOT NULL,       -- the watched source that listed it first
    first_seen  TEXT NOT NULL,
    last_tried  TEXT,
    status      TEXT NOT NULL,       -- pending (fetched by a later poll) | stored | failed | skipped
    reason      TEXT,                -- why it failed or was skipped
    article_id  TEXT REFERENCES articles (id) ON DELETE SET NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    title       TEXT,                -- what the feed or sitemap said: the fallbacks for the page's own
    published   TEXT
);

CREATE INDEX IF NOT EXISTS idx_watch_items_source ON watch_items (source, status);

-- Places by GeoNames id (schema version 9): the reads group places by id (vigie.store.places_names).
CREATE INDEX IF NOT EXISTS idx_places_geonames ON places (geonames_id);

-- One search over articles, quotes, entities and events (schema version 10; vigie.store.search_all). The stems of
-- every document (an article's title and text, a quote's speaker and text, an entity's name once per article, an
-- event's type, trigger, actors and location, and its evidence) in the article's language, written by the store
-- with the article. rowid = article seq << 22 | kind << 20 | idx (kind: 0 article, 1 quote, 2 entity, 3 event).
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5 (
    head,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER IF NOT EXISTS search_fts_delete AFTER DELETE ON articles BEGIN
    DELETE FROM search_fts WHERE rowid BETWEEN old.seq * 4194304 AND old.seq * 4194304 + 4194303;
END;

-- Saved searches and alerts (schema version 11; vigie.store.alerts, vigie.alerts). A saved search is a query of
-- `search_all` with its filters, the spikes it watches and where its alerts go; `last_seq` is its high-water mark:
-- the largest article seq already checked. alerts_sent has one row per match (or spike) notified through a channel,
-- so that nothing is notified twice.
CREATE TABLE IF NOT EXISTS saved_searches (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    query         TEXT NOT NULL,
    filters       TEXT NOT NULL DEFAULT '{}',   -- JSON: kinds, language, source, type
    spikes        TEXT NOT NULL DEFAULT '{}',   -- JSON: entities, places, types, top (see vigie.alerts.spikes)
    notify        TEXT NOT NULL DEFAULT '{}',   -- JSON: webhooks, emails
    created       TEXT NOT NULL,
    last_checked  TEXT,
    last_seq      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS alerts_sent (
    search_id   INTEGER NOT NULL REFERENCES saved_searches (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,       -- article | quote | entity | event | spike
    item_key    TEXT NOT NULL,       -- the match (article id, :idx or :entity) or the spike (what:name:day)
    channel     TEXT NOT NULL,       -- webhook:URL | email:ADDRESS | print
    article_id  TEXT,                -- no FK: an alert stays sent when its article goes
    sent_at     TEXT NOT NULL,
    PRIMARY KEY (search_id, kind, item_key, channel)
);
