-- Schema version 7: themes from a learned model. An item's theme now says why it was given:
-- 'tag' (a person), 'query' (a taxonomy query matched), 'model' (the trained model gave it
-- without a query match) or 'both' (a tag, and the classifier gave it too), with the model's
-- probability when the model decided, and the model version next to the taxonomy version.
-- SQLite cannot change a CHECK constraint, so the table is rebuilt.

CREATE TABLE item_themes_v7 (
    item_id          TEXT    NOT NULL REFERENCES items (id),
    theme            TEXT    NOT NULL,
    source           TEXT    NOT NULL CHECK (source IN ('tag', 'query', 'model', 'both')),
    probability      REAL,
    taxonomy_version INTEGER NOT NULL,
    model_version    INTEGER,
    PRIMARY KEY (item_id, theme)
) WITHOUT ROWID;
INSERT INTO item_themes_v7 (item_id, theme, source, taxonomy_version)
    SELECT item_id, theme, source, taxonomy_version FROM item_themes;
DROP TABLE item_themes;
ALTER TABLE item_themes_v7 RENAME TO item_themes;
CREATE INDEX item_themes_theme ON item_themes (theme);

ALTER TABLE classification ADD COLUMN model_version INTEGER;
