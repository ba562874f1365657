-- schemagate:revision e2c7b4a91f06
-- schemagate:parents b73f05d8e2a4
-- schemagate:message add reviews with a rating check trigger
-- schemagate:branch-labels reviews

-- schemagate:up
CREATE TABLE reviews (
    id serial PRIMARY KEY,
    book_id integer NOT NULL REFERENCES books (id),
    rating smallint NOT NULL,
    body text NOT NULL DEFAULT ''
);

-- The body holds semicolons and quotes: it must reach the server whole.
CREATE FUNCTION reviews_check_rating() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
    IF NEW.rating NOT BETWEEN 1 AND 5 THEN
        RAISE EXCEPTION 'rating must be 1..5; got %', NEW.rating;
    END IF;
    RETURN NEW;
END;
$body$;

CREATE TRIGGER reviews_check_rating BEFORE INSERT OR UPDATE ON reviews
    FOR EACH ROW EXECUTE FUNCTION reviews_check_rating();

-- schemagate:down
DROP TABLE reviews;
DROP FUNCTION reviews_check_rating();
