-- schemagate:revision 4e8d2a6c1b95
-- schemagate:parents 9c1e4b7a2f30
-- schemagate:message add authors
-- schemagate:lint-ignore adding-foreign-key-constraint books holds the tutorial's three seed rows here; on a large table add the constraint NOT VALID and VALIDATE it in a later revision

-- schemagate:up
CREATE TABLE authors (
    id serial PRIMARY KEY,
    name varchar(100) NOT NULL UNIQUE
);

ALTER TABLE books ADD COLUMN author_id integer REFERENCES authors (id);

-- schemagate:down
ALTER TABLE books DROP COLUMN author_id;
DROP TABLE authors;
