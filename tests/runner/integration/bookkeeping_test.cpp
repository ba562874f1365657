// A database migrated before, whose bookkeeping is missing, half there, or
// kept by another tool, is never migrated a second time: `upgrade` and
// `check` stop with exit 5, say what they found, and name the command that
// adopts or repairs it.
#include "runner/integration/support.h"

using namespace schemagate::testing;

namespace {

/// Two revisions creating tables, applied; then `mutilate` runs on the database.
struct Migrated {
  TestDatabase db;
  Project project;
  Migrated() {
    project.add("aaaaaaaaaaa1", {}, "CREATE TABLE first_table (id int);\n"
                                    "INSERT INTO first_table VALUES (1);\n");
    project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"}, "CREATE TABLE second_table (id int);\n");
    expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  }
};

void expect_nothing_ran(Migrated& m) {
  CHECK(m.db.scalar("SELECT count(*) FROM first_table") == "1");
}

}  // namespace

TEST_CASE("version rows without the history table: check and upgrade refuse, stamp repairs",
          "[bookkeeping]") {
  Migrated m;
  m.project.add("ccccccccccc3", {"bbbbbbbbbbb2"}, "INSERT INTO first_table VALUES (3);\n");
  m.db.scalar("DROP TABLE schemagate_history; SELECT 1");

  auto check = run_cli(m.project, m.db.url(), {"check"});
  expect_exit(check, 5);
  CHECK(check.out.find("pending aaaaaaaaaaa1") == std::string::npos);
  CHECK_THAT(check.err, Catch::Contains("holds revision(s) bbbbbbbbbbb2 but the history table "
                                        "\"public\".\"schemagate_history\" is missing"));
  CHECK_THAT(check.err, Catch::Contains("`schemagate stamp bbbbbbbbbbb2`"));

  auto upgrade = run_cli(m.project, m.db.url(), {"upgrade"});
  expect_exit(upgrade, 5);
  expect_nothing_ran(m);
  CHECK(version_rows(m.db) == "bbbbbbbbbbb2");

  auto current = run_cli(m.project, m.db.url(), {"current"});
  expect_exit(current, 0);
  CHECK(current.out == "bbbbbbbbbbb2\n");  // the rows are read, not taken for "nothing"

  expect_exit(run_cli(m.project, m.db.url(), {"stamp", "bbbbbbbbbbb2"}), 0);
  CHECK(m.db.table_exists("schemagate_history"));
  auto pending = run_cli(m.project, m.db.url(), {"check"});
  expect_exit(pending, 1);
  CHECK(pending.out == "pending ccccccccccc3\n");
  expect_exit(run_cli(m.project, m.db.url(), {"upgrade"}), 0);
  CHECK(m.db.scalar("SELECT string_agg(id::text, ',' ORDER BY id) FROM first_table") == "1,3");
}

TEST_CASE("history without the version table is refused", "[bookkeeping]") {
  Migrated m;
  m.db.scalar("DROP TABLE schemagate_version; SELECT 1");
  auto upgrade = run_cli(m.project, m.db.url(), {"upgrade"});
  expect_exit(upgrade, 5);
  CHECK_THAT(upgrade.err, Catch::Contains("records 2 migration run(s) but the version table "
                                          "\"public\".\"schemagate_version\" is missing"));
  expect_nothing_ran(m);
  CHECK_FALSE(m.db.table_exists("schemagate_version"));
  expect_exit(run_cli(m.project, m.db.url(), {"check"}), 5);
}

TEST_CASE("another tool's table with rows stops a database schemagate never migrated",
          "[bookkeeping]") {
  struct Case {
    std::string table_sql;
    std::string expected;
  };
  const Case cases[] = {
      {"CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY); "
       "INSERT INTO alembic_version VALUES ('0002_users')",
       "migrated by Alembic (its table alembic_version records revision(s) 0002_users)"},
      {"CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT "
       "NULL); INSERT INTO schema_migrations VALUES (2, false)",
       "migrated by golang-migrate (its table schema_migrations records 1 row)"},
      {"CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY); "
       "INSERT INTO schema_migrations VALUES ('20230101'), ('20230102')",
       "migrated by dbmate (its table schema_migrations records 2 rows)"},
      {"CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version "
       "varchar(50), type varchar(20) NOT NULL); INSERT INTO flyway_schema_history VALUES "
       "(1, NULL, 'SCHEMA'), (2, '1', 'SQL')",
       "migrated by Flyway (its table flyway_schema_history records 1 row)"},
      {"CREATE TABLE __diesel_schema_migrations (version varchar(50) PRIMARY KEY); "
       "INSERT INTO __diesel_schema_migrations VALUES ('20230101000000')",
       "migrated by diesel (its table __diesel_schema_migrations records 1 row)"},
  };
  for (const Case& c : cases) {
    SECTION(c.expected) {
      TestDatabase db;
      Project project;
      project.add("aaaaaaaaaaa1", {}, "CREATE TABLE IF NOT EXISTS users (id int);\n"
                                      "INSERT INTO users VALUES (1);\n");
      db.scalar(c.table_sql + "; SELECT 1");
      for (const char* verb : {"check", "upgrade"}) {
        auto refused = run_cli(project, db.url(), {verb});
        expect_exit(refused, 5);
        CHECK_THAT(refused.err, Catch::Contains(c.expected));
        CHECK_THAT(refused.err, Catch::Contains("--adopt-database"));
      }
      CHECK_FALSE(db.table_exists("users"));
      CHECK_FALSE(db.table_exists("schemagate_version"));
    }
  }
}

TEST_CASE("an empty table of another tool migrated nothing and does not stop a run",
          "[bookkeeping]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE TABLE users (id int);\n");
  db.scalar("CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean "
            "NOT NULL); SELECT 1");
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  CHECK(version_rows(db) == "aaaaaaaaaaa1");
}

TEST_CASE("objects the migrations create already there, with no record: refused with where",
          "[bookkeeping]") {
  TestDatabase db;
  Project project;
  project.add("aaaaaaaaaaa1", {}, "CREATE SCHEMA IF NOT EXISTS app;\nCREATE SCHEMA IF NOT EXISTS public;\n");
  auto file = project.add("bbbbbbbbbbb2", {"aaaaaaaaaaa1"},
                          "CREATE TABLE IF NOT EXISTS app.users (id int);\n"
                          "INSERT INTO app.users VALUES (1);\n");
  // A schema made by a DBA, and a table unrelated to the migrations: fine.
  db.scalar("CREATE SCHEMA app; CREATE TABLE release_gate (released boolean); SELECT 1");
  expect_exit(run_cli(project, db.url(), {"upgrade", "aaaaaaaaaaa1"}), 0);
  db.scalar("DROP TABLE schemagate_version, schemagate_history; "
            "CREATE TABLE app.users (id int); INSERT INTO app.users VALUES (1); SELECT 1");

  auto refused = run_cli(project, db.url(), {"upgrade"});
  expect_exit(refused, 5);
  CHECK_THAT(refused.err, Catch::Contains("table app.users (created by revision bbbbbbbbbbb2 at " +
                                          file.string() + ":"));
  CHECK_THAT(refused.err, Catch::Contains("`schemagate stamp REV`"));
  CHECK(db.scalar("SELECT count(*) FROM app.users") == "1");
  expect_exit(run_cli(project, db.url(), {"check"}), 5);

  expect_exit(run_cli(project, db.url(), {"stamp", "bbbbbbbbbbb2"}), 0);
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  CHECK(db.scalar("SELECT count(*) FROM app.users") == "1");
}
