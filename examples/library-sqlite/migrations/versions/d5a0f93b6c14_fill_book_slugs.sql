-- schemagate:revision d5a0f93b6c14
-- schemagate:parents 7c2d4e8f1a36
-- schemagate:message fill book slugs, then make them required
-- schemagate:lint-ignore ban-drop-table the table rebuild: books_new takes the name of the books it replaces, in the same transaction
-- schemagate:lint-ignore renaming-table the table rebuild: the renamed table is the new books, so the application sees no rename

-- schemagate:up
-- A data migration: the column is added nullable and filled from the
-- titles of the rows that already exist.
ALTER TABLE books ADD COLUMN slug varchar(120);

UPDATE books
   SET slug = lower(replace(replace(trim(title), ' ', '-'), '''', ''));

-- SQLite's ALTER TABLE cannot add NOT NULL to a column: the table is
-- rebuilt (docs/sqlite.md): a new table as it should be, the rows copied,
-- the old one dropped and the new one renamed, then its indexes. All of it
-- commits with the version row or not at all; the runner checks the
-- foreign keys before the commit.
CREATE TABLE books_new (
    id integer PRIMARY KEY,
    title varchar(100) NOT NULL,
    author_id integer REFERENCES authors (id),
    slug varchar(120) NOT NULL
);

INSERT INTO books_new (id, title, author_id, slug)
     SELECT id, title, author_id, slug FROM books;

DROP TABLE books;
ALTER TABLE books_new RENAME TO books;
CREATE UNIQUE INDEX books_slug_key ON books (slug);

-- schemagate:down
DROP INDEX books_slug_key;
-- Dropping a NOT NULL column needs no rebuild.
ALTER TABLE books DROP COLUMN slug;
