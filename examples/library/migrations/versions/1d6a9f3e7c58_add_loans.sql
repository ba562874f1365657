-- schemagate:revision 1d6a9f3e7c58
-- schemagate:parents b73f05d8e2a4
-- schemagate:message add loans
-- schemagate:branch-labels loans

-- schemagate:up
CREATE TABLE loans (
    id serial PRIMARY KEY,
    book_id integer NOT NULL REFERENCES books (id),
    borrower text NOT NULL,
    loaned_at timestamptz NOT NULL DEFAULT now(),
    returned_at timestamptz
);

-- schemagate:down
DROP TABLE loans;
