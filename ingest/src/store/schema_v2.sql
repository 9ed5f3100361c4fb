-- Schema version 2: classification. An item's themes are its manual tags plus the themes whose
-- taxonomy queries match its text; every row records the taxonomy version it was made with.
-- After a taxonomy change every item is reclassified, so all rows share one version.

CREATE TABLE item_themes (
    item_id          TEXT    NOT NULL REFERENCES items (id),
    theme            TEXT    NOT NULL,
    source           TEXT    NOT NULL CHECK (source IN ('tag', 'query', 'both')),
    taxonomy_version INTEGER NOT NULL,
    PRIMARY KEY (item_id, theme)
) WITHOUT ROWID;
CREATE INDEX item_themes_theme ON item_themes (theme);

-- The taxonomy the classification above was made with (one row).
CREATE TABLE classification (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    taxonomy_version INTEGER NOT NULL,
    fingerprint      TEXT    NOT NULL, -- of the taxonomy file's content
    classified_at    TEXT    NOT NULL
);
