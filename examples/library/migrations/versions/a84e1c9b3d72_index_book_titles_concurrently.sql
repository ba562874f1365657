-- schemagate:revision a84e1c9b3d72
-- schemagate:parents 5f0b8c2d6e17
-- schemagate:message index book titles without blocking writes
-- schemagate:transactional false

-- schemagate:up
CREATE INDEX CONCURRENTLY books_title_idx ON books (title);

-- schemagate:down
DROP INDEX CONCURRENTLY books_title_idx;
