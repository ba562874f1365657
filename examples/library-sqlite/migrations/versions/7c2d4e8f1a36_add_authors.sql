-- schemagate:revision 7c2d4e8f1a36
-- schemagate:parents 3b9e51c0a7d2
-- schemagate:message add authors

-- schemagate:up
CREATE TABLE authors (
    id integer PRIMARY KEY,
    name varchar(100) NOT NULL UNIQUE
);

-- SQLite adds a column with a REFERENCES clause in place (its default is
-- NULL, so no existing row breaks the key).
ALTER TABLE books ADD COLUMN author_id integer REFERENCES authors (id);

-- schemagate:down
ALTER TABLE books DROP COLUMN author_id;
DROP TABLE authors;
