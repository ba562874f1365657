-- schemagate:revision 3b9e51c0a7d2
-- schemagate:message create books table

-- schemagate:up
CREATE TABLE books (
    id integer PRIMARY KEY,
    title varchar(100) NOT NULL
);

INSERT INTO books (title) VALUES
    ('The Pragmatic Programmer'),
    ('Designing Data-Intensive Applications'),
    ('SQL Performance Explained');

-- schemagate:down
DROP TABLE books;
