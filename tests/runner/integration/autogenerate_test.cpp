#include <filesystem>
#include <fstream>
#include <sstream>

#include "runner/integration/support.h"

using namespace schemagate::testing;
namespace fs = std::filesystem;

namespace {

// The library example's head schema, as a developer would declare it.
const char* const kLibrary = R"(CREATE TABLE authors (
    id serial PRIMARY KEY,
    name varchar(100) NOT NULL UNIQUE
);
CREATE TABLE books (
    id serial PRIMARY KEY,
    title varchar(100) NOT NULL,
    author_id integer REFERENCES authors (id),
    slug varchar(120) NOT NULL
);
CREATE UNIQUE INDEX books_slug_key ON books (slug);
CREATE INDEX books_title_idx ON books (title);
CREATE TABLE loans (
    id serial PRIMARY KEY,
    book_id integer NOT NULL REFERENCES books (id),
    borrower text NOT NULL,
    loaned_at timestamptz NOT NULL DEFAULT now(),
    returned_at timestamptz
);
CREATE TABLE reviews (
    id serial PRIMARY KEY,
    book_id integer NOT NULL REFERENCES books (id),
    rating smallint NOT NULL,
    body text NOT NULL DEFAULT ''
);
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
)";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::string read(const fs::path& path) {
  std::ifstream stream(path);
  std::stringstream text;
  text << stream.rdbuf();
  return text.str();
}

std::vector<fs::path> written_files(const ProcessResult& result) {
  std::vector<fs::path> paths;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() > 4 && line.substr(line.size() - 4) == ".sql") paths.push_back(line);
  }
  return paths;
}

size_t revision_count(const Project& project) {
  size_t count = 0;
  for (const auto& entry : fs::directory_iterator(project.root() / "versions")) {
    count += entry.path().extension() == ".sql";
  }
  return count;
}

std::vector<std::string> with_schema(const fs::path& schema, std::vector<std::string> args) {
  args.insert(args.end(), {"--schema", schema.string(), "--dev-url", test_server_url()});
  return args;
}

}  // namespace

TEST_CASE("autogenerate: a declared column and index become a revision and a concurrent one "
          "that upgrade, diff clean and round-trip", "[schema][autogenerate]") {
  TestDatabase db;
  auto project = Project::example("library");
  TempDir dir;
  auto schema = dir.write("schema.sql",
                          replace(replace(kLibrary, "    slug varchar(120) NOT NULL\n",
                                          "    slug varchar(120) NOT NULL,\n    isbn text\n"),
                                  "CREATE INDEX books_title_idx ON books (title);\n",
                                  "CREATE INDEX books_title_idx ON books (title);\n"
                                  "CREATE INDEX books_isbn_idx ON books (isbn);\n"));

  auto diff = run_cli(*project, "", with_schema(schema, {"diff"}));
  expect_exit(diff, 1);
  CHECK(diff.out ==
        "ALTER TABLE public.books ADD COLUMN isbn text;\n"
        "-- outside a transaction, in a revision of its own:\n"
        "CREATE INDEX CONCURRENTLY books_isbn_idx ON public.books USING btree (isbn);\n");

  auto generated = run_cli(*project, "", with_schema(schema, {"revision", "--autogenerate",
                                                              "-m", "add isbn"}));
  expect_exit(generated, 0);
  auto files = written_files(generated);
  REQUIRE(files.size() == 2);
  std::string main = read(files[0]);
  CHECK_THAT(main, Catch::Contains("-- schemagate:parents a84e1c9b3d72\n"));
  CHECK_THAT(main, Catch::Contains("-- schemagate:up\nALTER TABLE public.books ADD COLUMN isbn "
                                   "text;\n"));
  CHECK_THAT(main, Catch::Contains("-- schemagate:down\n-- destructive: drops column "
                                   "public.books.isbn and its data\n"
                                   "ALTER TABLE public.books DROP COLUMN isbn;\n"));
  std::string concurrent = read(files[1]);
  CHECK_THAT(concurrent, Catch::Contains("-- schemagate:transactional false\n"));
  CHECK_THAT(concurrent, Catch::Contains("CREATE INDEX CONCURRENTLY books_isbn_idx"));
  CHECK_THAT(concurrent, Catch::Contains("DROP INDEX CONCURRENTLY IF EXISTS public.books_isbn_idx;"));

  expect_exit(run_cli(*project, db.url(), {"upgrade"}), 0);
  CHECK(db.scalar("SELECT count(*) FROM pg_indexes WHERE indexname = 'books_isbn_idx'") == "1");
  expect_exit(run_cli(*project, "", with_schema(schema, {"diff"})), 0);
  expect_exit(run_cli(*project, "", {"test", "--dev-url", test_server_url()}), 0);

  auto again = run_cli(*project, "", with_schema(schema, {"revision", "--autogenerate", "-m",
                                                          "nothing"}));
  expect_exit(again, 0);
  CHECK(again.out == "no changes: the revisions already build the declared schema\n");
  CHECK(revision_count(*project) == 9);
}

TEST_CASE("autogenerate: renamed-from comments rename a table and a column, keeping their rows",
          "[schema][autogenerate]") {
  TestDatabase db;
  auto project = Project::example("library");
  expect_exit(run_cli(*project, db.url(), {"upgrade"}), 0);
  TempDir dir;
  std::string renamed = replace(kLibrary, "CREATE TABLE loans (\n",
                                "CREATE TABLE borrowings ( -- schemagate:renamed-from loans\n");
  renamed = replace(renamed, "    borrower text NOT NULL,\n",
                    "    member text NOT NULL, -- schemagate:renamed-from borrower\n");
  auto schema = dir.write("schema.sql", renamed);
  db.scalar("INSERT INTO loans (book_id, borrower) VALUES (1, 'ada') RETURNING id");

  auto generated = run_cli(*project, "", with_schema(schema, {"revision", "--autogenerate",
                                                              "-m", "borrowings"}));
  expect_exit(generated, 0);
  auto files = written_files(generated);
  REQUIRE(files.size() == 1);
  std::string text = read(files[0]);
  CHECK_THAT(text, Catch::Contains("ALTER TABLE public.loans RENAME TO borrowings;\n"
                                   "ALTER TABLE public.borrowings RENAME COLUMN borrower TO member;"));
  CHECK_THAT(text, !Catch::Contains("DROP TABLE"));
  CHECK_THAT(generated.out, !Catch::Contains("destructive"));

  expect_exit(run_cli(*project, db.url(), {"upgrade"}), 0);
  CHECK(db.scalar("SELECT member FROM borrowings") == "ada");
  expect_exit(run_cli(*project, "", with_schema(schema, {"diff"})), 0);
  expect_exit(run_cli(*project, db.url(), {"downgrade", "-1"}), 0);
  CHECK(db.scalar("SELECT borrower FROM loans") == "ada");
}

TEST_CASE("autogenerate: a dropped column is written under a warning and listed",
          "[schema][autogenerate]") {
  auto project = Project::example("library");
  TempDir dir;
  auto schema = dir.write("schema.sql",
                          replace(kLibrary, "    returned_at timestamptz\n",
                                  "    returned_at timestamptz,\n    due date\n"));
  schema = dir.write("schema.sql", replace(read(schema), "    borrower text NOT NULL,\n", ""));
  auto generated = run_cli(*project, "", with_schema(schema, {"revision", "--autogenerate",
                                                              "-m", "loans change"}));
  expect_exit(generated, 0);
  CHECK_THAT(generated.out,
             Catch::EndsWith("destructive: drops column public.loans.borrower and its data\n"));
  CHECK_THAT(generated.err, Catch::Contains("destructive step"));
  std::string text = read(written_files(generated).at(0));
  CHECK_THAT(text, Catch::Contains("-- destructive: drops column public.loans.borrower and its "
                                   "data\nALTER TABLE public.loans DROP COLUMN borrower;\n"));
  CHECK_THAT(text, Catch::Contains("ALTER TABLE public.loans ADD COLUMN borrower text NOT NULL;"));
}

TEST_CASE("diff and check: the declared schema from schemagate.yaml or a command, errors name "
          "the file and line", "[schema][autogenerate]") {
  TestDatabase db;
  auto project = Project::example("library");
  expect_exit(run_cli(*project, db.url(), {"upgrade"}), 0);
  TempDir dir;
  auto schema = dir.write("db/schema.sql", kLibrary);
  auto config = dir.write("schemagate.yaml", "directory: " + project->root().string() +
                                                 "\nschema: db\ndev_url: " + test_server_url() +
                                                 "\n");
  auto run = [&](std::vector<std::string> args) {
    std::vector<std::string> argv = {schemagate_binary(), "--config", config.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, {{"DATABASE_URL", db.url()}});
  };
  expect_exit(run({"diff"}), 0);
  expect_exit(run({"check"}), 0);

  dir.write("db/schema.sql", std::string(kLibrary) + "CREATE TABLE shelves (id int);\n");
  auto differs = run({"check"});
  expect_exit(differs, 1);
  CHECK(differs.out == "schema differs\n");
  CHECK_THAT(differs.err, Catch::Contains("revision --autogenerate"));

  dir.write("db/schema.sql", std::string(kLibrary) + "CREATE TABLE shelves (id nosuchtype);\n");
  auto broken = run({"diff"});
  expect_exit(broken, 2);
  CHECK_THAT(broken.err, Catch::Contains((dir.path() / "db/schema.sql").string() + ":37: the "
                                         "declared schema does not apply"));
  CHECK_THAT(broken.err, Catch::Contains("nosuchtype"));

  fs::remove_all(dir.path() / "db");
  dir.write("schemagate.yaml", "directory: " + project->root().string() +
                                   "\nschema_command: printf 'CREATE TABLE only_this (id int);'\n"
                                   "dev_url: " + test_server_url() + "\n");
  auto from_command = run({"diff"});
  expect_exit(from_command, 1);
  CHECK_THAT(from_command.out, Catch::Contains("CREATE TABLE public.only_this (\n    id integer\n);"));
  CHECK_THAT(from_command.out, Catch::Contains("DROP TABLE public.books;"));

  dir.write("schemagate.yaml", "directory: " + project->root().string() +
                                   "\nschema_command: exit 3\ndev_url: " + test_server_url() +
                                   "\n");
  auto failing = run({"diff"});
  expect_exit(failing, 2);
  CHECK_THAT(failing.err, Catch::Contains("schema_command `exit 3` failed (exit 3)"));

  auto nothing = run_cli(*project, "", {"diff", "--dev-url", test_server_url()});
  expect_exit(nothing, 2);
  CHECK_THAT(nothing.err, Catch::Contains("no declared schema: pass --schema PATH"));
}

TEST_CASE("diff --database-url: a live database that drifted from the revisions is reported",
          "[schema][autogenerate]") {
  TestDatabase db;
  auto project = Project::example("library");
  expect_exit(run_cli(*project, db.url(), {"upgrade"}), 0);
  auto args = std::vector<std::string>{"diff", "--database-url", db.url(), "--dev-url",
                                       test_server_url()};
  expect_exit(run_cli(*project, "", args), 0);

  db.scalar("ALTER TABLE books ADD COLUMN hotfix integer");
  db.scalar("DROP INDEX books_title_idx");
  auto drift = run_cli(*project, "", args);
  expect_exit(drift, 1);
  CHECK_THAT(drift.out, Catch::Contains("--   column public.books.hotfix is left over (integer)\n"));
  CHECK_THAT(drift.out, Catch::Contains("--   index public.books_title_idx is missing"));
  CHECK_THAT(drift.out, Catch::Contains("ALTER TABLE public.books DROP COLUMN hotfix;\n"
                                        "CREATE INDEX books_title_idx ON public.books USING btree "
                                        "(title);\n"));
  CHECK_THAT(drift.err, Catch::Contains("drift"));
}
