-- Schema version 8: the review loop. A person confirmed or corrected an item's themes (an
-- empty list: none of the themes, "other"). A review is authoritative: the item's themes are
-- the reviewed ones (source 'tag', or 'both' when the classifier agrees) through every
-- reclassification, and reviewed items are training examples for the theme model.
-- Never the text here: it stays in `items`.

CREATE TABLE item_reviews (
    item_id          TEXT    PRIMARY KEY REFERENCES items (id),
    themes           TEXT    NOT NULL,  -- theme ids joined by '|'; '' for "other"
    reviewer         TEXT    NOT NULL,
    reviewed_at      TEXT    NOT NULL,
    taxonomy_version INTEGER NOT NULL
) WITHOUT ROWID;
