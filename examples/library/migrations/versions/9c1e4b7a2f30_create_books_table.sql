-- schemagate:revision 9c1e4b7a2f30
-- schemagate:message create books table
-- schemagate:transactional true

-- schemagate:up
CREATE TABLE books (
    id serial PRIMARY KEY,
    title varchar(100) NOT NULL
);

INSERT INTO books (title) VALUES
    ('The Pragmatic Programmer'),
    ('Designing Data-Intensive Applications'),
    ('SQL Performance Explained');

-- schemagate:down
DROP TABLE books;
