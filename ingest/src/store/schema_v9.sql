-- Schema version 9: the review queue kept as a table, so the review page reads one indexed
-- page of it instead of scanning every item (a scan took 200-500 ms at 100k items). An item
-- is queued when the classification gave it no theme or a theme only the model gave, and
-- nobody reviewed it; `write_themes` and `record_review` keep the table current.

CREATE TABLE review_queue (
    item_id TEXT PRIMARY KEY REFERENCES items (id),
    date    TEXT NOT NULL  -- the session's date, YYYY-MM-DD
) WITHOUT ROWID;
CREATE INDEX review_queue_newest ON review_queue (date DESC, item_id);

INSERT INTO review_queue (item_id, date)
    SELECT i.id, s.date FROM items i JOIN sessions s ON s.id = i.session_id
    WHERE NOT EXISTS (SELECT 1 FROM item_reviews r WHERE r.item_id = i.id)
      AND (NOT EXISTS (SELECT 1 FROM item_themes t WHERE t.item_id = i.id)
           OR EXISTS (SELECT 1 FROM item_themes t WHERE t.item_id = i.id AND t.source = 'model'));
