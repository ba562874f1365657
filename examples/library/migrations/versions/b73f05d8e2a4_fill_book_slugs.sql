-- schemagate:revision b73f05d8e2a4
-- schemagate:parents 4e8d2a6c1b95
-- schemagate:message fill book slugs, then make them required
-- schemagate:lint-ignore adding-not-nullable-field books holds the tutorial's three seed rows here, so the scan is instant; a large table needs a validated CHECK (slug IS NOT NULL) first
-- schemagate:lint-ignore require-concurrent-index-creation books holds the tutorial's three seed rows here; on a large table build it with CREATE UNIQUE INDEX CONCURRENTLY in a non-transactional revision of its own

-- schemagate:up
-- A data migration: the column is added nullable, filled from the titles of
-- the rows that already exist, and only then made NOT NULL.
ALTER TABLE books ADD COLUMN slug varchar(120);

UPDATE books
   SET slug = trim(both '-' from lower(regexp_replace(title, '[^a-zA-Z0-9]+', '-', 'g')));

ALTER TABLE books ALTER COLUMN slug SET NOT NULL;
CREATE UNIQUE INDEX books_slug_key ON books (slug);

-- schemagate:down
DROP INDEX books_slug_key;
ALTER TABLE books DROP COLUMN slug;
