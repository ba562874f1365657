// `schemagate import` against the real PostgreSQL: each format's fixture
// history (tests/fixtures/<format>/, 33+ messy migrations) is imported,
// applied up, all the way down and up again; and a database migrated with
// psql in the other tool's bookkeeping layout is adopted without running
// anything.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "runner/integration/support.h"
#include "schemagate/common/sha256.h"

using namespace schemagate::testing;
namespace fs = std::filesystem;

namespace {

fs::path fixture(const std::string& format) {
  return fs::path(source_dir()) / "tests" / "fixtures" / format;
}

std::string revision_of(const std::string& format, const std::string& canonical_version) {
  return schemagate::sha256_hex(format + ":" + canonical_version).substr(0, 12);
}

std::string slurp(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

size_t files_in(const fs::path& directory) {
  return static_cast<size_t>(std::distance(fs::directory_iterator(directory), {}));
}

/// One migration as the other tool applies and records it.
struct ToolMigration {
  std::string version;  ///< as the tool's table records it
  std::string script;   ///< Flyway's script column
  std::string up_sql;
  std::string down_sql;
};

std::vector<std::string> numeric_parts(const std::string& version) {
  std::vector<std::string> parts;
  std::stringstream stream(version);
  for (std::string part; std::getline(stream, part, '.');) parts.push_back(part);
  return parts;
}

bool numerically_before(const std::string& a, const std::string& b) {
  auto x = numeric_parts(a), y = numeric_parts(b);
  for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
    if (std::stoull(x[i]) != std::stoull(y[i])) return std::stoull(x[i]) < std::stoull(y[i]);
  }
  return x.size() < y.size();
}

/// The fixture's migrations in the order the tool applies them, read the way
/// the tool reads them (independently of the importer under test).
std::vector<ToolMigration> tool_migrations(const std::string& format) {
  std::vector<ToolMigration> migrations;
  const fs::path root = fixture(format);
  std::smatch match;
  if (format == "golang-migrate") {
    static const std::regex kUp(R"(^(\d+)_(.*)\.up\.sql$)");
    for (const auto& entry : fs::directory_iterator(root)) {
      std::string name = entry.path().filename().string();
      if (!std::regex_match(name, match, kUp)) continue;
      std::string down = std::regex_replace(name, std::regex(R"(\.up\.sql$)"), ".down.sql");
      migrations.push_back({match[1], name, slurp(entry.path()), slurp(root / down)});
    }
  } else if (format == "flyway") {
    static const std::regex kVersioned(R"(^V([\d._]+)__(.*)\.sql$)");
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      std::string name = entry.path().filename().string();
      if (!std::regex_match(name, match, kVersioned)) continue;
      std::string version = std::regex_replace(std::string(match[1]), std::regex("_"), ".");
      fs::path undo = entry.path().parent_path() / ("U" + name.substr(1));
      migrations.push_back({version, fs::relative(entry.path(), root).generic_string(),
                            slurp(entry.path()), slurp(undo)});
    }
  } else if (format == "dbmate") {
    static const std::regex kName(R"(^(\d+)_.*\.sql$)");
    for (const auto& entry : fs::directory_iterator(root)) {
      std::string name = entry.path().filename().string();
      if (!std::regex_match(name, match, kName)) continue;
      std::string text = slurp(entry.path());
      size_t up = text.find('\n', text.find("-- migrate:up")) + 1;
      size_t down = text.find("-- migrate:down");
      migrations.push_back({match[1], name, text.substr(up, down - up),
                            text.substr(text.find('\n', down) + 1)});
    }
  } else {
    static const std::regex kName(R"(^([\d-]+)_.*$)");
    for (const auto& entry : fs::directory_iterator(root)) {
      std::string name = entry.path().filename().string();
      if (!entry.is_directory() || !std::regex_match(name, match, kName)) continue;
      std::string version = std::regex_replace(std::string(match[1]), std::regex("-"), "");
      migrations.push_back(
          {version, name, slurp(entry.path() / "up.sql"), slurp(entry.path() / "down.sql")});
    }
  }
  std::sort(migrations.begin(), migrations.end(), [](const ToolMigration& a, const ToolMigration& b) {
    return numerically_before(a.version, b.version);
  });
  return migrations;
}

/// The version the importer derives ids from: no leading zeros.
std::string canonical(const std::string& version) {
  std::string joined;
  for (const std::string& part : numeric_parts(version)) {
    joined += (joined.empty() ? "" : ".") + std::to_string(std::stoull(part));
  }
  return joined;
}

void psql(const std::string& url, const std::string& sql) {
  TempDir dir;
  fs::path file = dir.write("step.sql", sql);
  const char* pgbin = std::getenv("PGBIN");
  std::string binary = pgbin ? std::string(pgbin) + "/psql" : "psql";
  ProcessResult result =
      run_process({binary, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", file.string()});
  INFO(sql << "\n" << result.err);
  REQUIRE(result.exit_code == 0);
}

/// What each tool creates to record applied migrations, and its rows.
void record_as_tool(TestDatabase& db, const std::string& format,
                    const std::vector<ToolMigration>& applied) {
  pqxx::work tx(db.connection());
  if (format == "golang-migrate") {
    tx.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version bigint NOT NULL, "
            "dirty boolean NOT NULL)");
    tx.exec("CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version)");
    tx.exec("INSERT INTO schema_migrations (version, dirty) VALUES (" + applied.back().version +
            ", false)");
  } else if (format == "dbmate") {
    tx.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version character varying(128) "
            "NOT NULL PRIMARY KEY)");
    for (const auto& m : applied) tx.exec("INSERT INTO schema_migrations VALUES ('" + m.version + "')");
  } else if (format == "diesel") {
    tx.exec("CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version VARCHAR(50) PRIMARY "
            "KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)");
    for (const auto& m : applied) {
      tx.exec("INSERT INTO __diesel_schema_migrations (version) VALUES ('" + m.version + "')");
    }
  } else {
    tx.exec(R"(CREATE TABLE flyway_schema_history (
      installed_rank INT NOT NULL, version VARCHAR(50), description VARCHAR(200) NOT NULL,
      type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL, checksum INT,
      installed_by VARCHAR(100) NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT now(),
      execution_time INT NOT NULL, success BOOLEAN NOT NULL,
      CONSTRAINT flyway_schema_history_pk PRIMARY KEY (installed_rank)))");
    tx.exec("CREATE INDEX flyway_schema_history_s_idx ON flyway_schema_history (success)");
    tx.exec("INSERT INTO flyway_schema_history VALUES (1, NULL, '<< Flyway Schema Creation >>', "
            "'SCHEMA', '\"public\"', NULL, 'postgres', now(), 0, true)");
    int rank = 2;
    for (const auto& m : applied) {
      std::string installed_rank = std::to_string(rank++);
      tx.exec("INSERT INTO flyway_schema_history VALUES (" + installed_rank + ", '" + m.version +
              "', 'migration', 'SQL', '" + m.script + "', " + std::to_string(rank * 7919) +
              ", 'postgres', now(), 12, true)");
    }
  }
  tx.commit();
}

ProcessResult import(const Project& project, const std::string& url, const std::string& format,
                     std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"import", "--from", format, fixture(format).string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_cli(project, url, args);
}

const char* const kFormats[] = {"golang-migrate", "flyway", "dbmate", "diesel"};

}  // namespace

TEST_CASE("each format's history imports, goes up, down to base and up to the same schema",
          "[import]") {
  for (const std::string format : kFormats) {
    SECTION(format) {
      TestDatabase db;
      Project project;
      auto migrations = tool_migrations(format);
      REQUIRE(migrations.size() >= 33);
      auto imported = import(project, db.url(), format);
      expect_exit(imported, 0);
      CHECK(files_in(project.root() / "versions") == migrations.size());
      CHECK_THAT(imported.err, Catch::Contains("ignored files that are not migrations"));

      expect_exit(run_cli(project, db.url(), {"upgrade", "heads"}), 0);
      std::string first = schema_dump(db.url());
      CHECK(version_rows(db) == revision_of(format, canonical(migrations.back().version)));
      CHECK(db.scalar("SELECT count(*) FROM products") == "3");
      CHECK(db.scalar("SELECT name FROM products WHERE sku = 'W-1'") == "Bob's widget; deluxe");
      CHECK(db.scalar("SELECT price FROM products WHERE sku = 'W-1'") == "21.99");
      CHECK(db.table_exists("inventory.stock"));
      CHECK(db.table_exists("public.audit_log"));  // search_path did not leak into it
      CHECK(db.scalar("SELECT indisvalid FROM pg_index WHERE indexrelid = "
                      "'orders_created_at_idx'::regclass") == "t");
      CHECK(db.scalar("SELECT count(*) FROM schemagate_history WHERE outcome <> 'succeeded'") == "0");

      expect_exit(run_cli(project, db.url(), {"downgrade", "base"}), 0);
      CHECK(version_rows(db).empty());
      CHECK(db.scalar("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                      "c.relnamespace WHERE n.nspname IN ('public', 'inventory') AND c.relname "
                      "NOT LIKE 'schemagate%'") == "0");
      CHECK(db.scalar("SELECT count(*) FROM pg_namespace WHERE nspname = 'inventory'") == "0");

      expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
      CHECK(schema_dump(db.url()) == first);

      auto again = import(project, db.url(), format);
      expect_exit(again, 0);
      CHECK(again.out.empty());  // nothing new written: the ids are stable
      CHECK(files_in(project.root() / "versions") == migrations.size());
    }
  }
}

TEST_CASE("a database migrated with psql in the tool's own layout is adopted", "[import]") {
  for (const std::string format : kFormats) {
    SECTION(format) {
      TestDatabase db;
      auto migrations = tool_migrations(format);
      for (const auto& m : migrations) psql(db.url(), m.up_sql);
      record_as_tool(db, format, migrations);

      Project project;
      expect_exit(import(project, db.url(), format, {"--adopt-database"}), 0);
      std::string head = revision_of(format, canonical(migrations.back().version));
      CHECK(version_rows(db) == head);
      auto current = run_cli(project, db.url(), {"current"});
      expect_exit(current, 0);
      CHECK(current.out == head + " (head)\n");
      auto upgrade = run_cli(project, db.url(), {"upgrade"});
      expect_exit(upgrade, 0);
      CHECK_THAT(upgrade.err, Catch::Contains("nothing to do"));
      CHECK(db.scalar("SELECT count(*) FROM schemagate_history WHERE direction <> 'stamp'") == "0");
      CHECK(db.scalar("SELECT count(*) FROM products") == "3");  // nothing ran twice

      // The imported revisions build exactly the schema the tool's files built.
      TestDatabase fresh;
      expect_exit(run_cli(project, fresh.url(), {"upgrade"}), 0);
      CHECK(fresh.scalar("SELECT generated_counter()") == "300");
      const std::string bookkeeping = "DROP TABLE schemagate_version, schemagate_history";
      db.scalar(bookkeeping + "; DROP TABLE IF EXISTS schema_migrations, flyway_schema_history, "
                              "__diesel_schema_migrations; SELECT 1");
      fresh.scalar(bookkeeping + "; SELECT 1");
      CHECK(schema_dump(db.url()) == schema_dump(fresh.url()));
    }
  }
}

TEST_CASE("flyway adoption replays undo rows, then upgrade applies just the rest", "[import]") {
  TestDatabase db;
  auto migrations = tool_migrations("flyway");
  for (const auto& m : migrations) psql(db.url(), m.up_sql);
  psql(db.url(), migrations.back().down_sql);
  record_as_tool(db, "flyway", migrations);
  db.scalar("INSERT INTO flyway_schema_history VALUES (100, '" + migrations.back().version +
            "', 'undo', 'UNDO_SQL', 'U" + migrations.back().script.substr(1) +
            "', 1, 'postgres', now(), 3, true) RETURNING 1");
  Project project;
  expect_exit(import(project, db.url(), "flyway", {"--adopt-database"}), 0);
  const auto& previous = migrations[migrations.size() - 2];
  CHECK(version_rows(db) == revision_of("flyway", canonical(previous.version)));
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  CHECK(version_rows(db) == revision_of("flyway", canonical(migrations.back().version)));
  CHECK(db.scalar("SELECT count(*) FROM schemagate_history WHERE direction = 'up'") == "1");
}

TEST_CASE("adoption refuses a dirty golang-migrate database and a missing table", "[import]") {
  TempDir source;
  source.write("1_a.up.sql", "CREATE TABLE a (id int);\n");
  source.write("2_b.up.sql", "CREATE TABLE b (id int);\n");
  TestDatabase db;
  Project project;
  auto args = [&](std::vector<std::string> extra) {
    std::vector<std::string> all = {"import", "--from", "golang-migrate",
                                    source.path().string()};
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  };
  auto missing = run_cli(project, db.url(), args({"--adopt-database"}));
  expect_exit(missing, 5);
  CHECK_THAT(missing.err, Catch::Contains("no golang-migrate table schema_migrations"));
  db.scalar("CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean "
            "NOT NULL); INSERT INTO schema_migrations VALUES (2, true); SELECT 1");
  auto dirty = run_cli(project, db.url(), args({"--adopt-database"}));
  expect_exit(dirty, 5);
  CHECK_THAT(dirty.err, Catch::Contains("golang-migrate marks version 2 dirty"));
  CHECK(version_rows(db).empty());
}

TEST_CASE("a wrong upstream down stops at exactly that migration with file and line",
          "[import]") {
  TempDir source;
  source.write("1_a.up.sql", "CREATE TABLE a (id int);\n");
  source.write("1_a.down.sql", "DROP TABLE a;\n");
  source.write("2_b.up.sql", "CREATE TABLE b (id int);\n");
  source.write("2_b.down.sql", "DROP TABLE b;\nINSERT INTO b_with_a_typo VALUES (1);\n");
  source.write("3_c.up.sql", "CREATE TABLE c (id int);\n");
  source.write("3_c.down.sql", "DROP TABLE c;\n");
  source.write("4_d.up.sql", "CREATE TABLE d (id int);\n");  // no down: refused when reached
  TestDatabase db;
  Project project;
  expect_exit(run_cli(project, db.url(),
                      {"import", "--from", "golang-migrate", source.path().string()}),
              0);
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);

  auto no_down = run_cli(project, db.url(), {"downgrade", "base"});
  expect_exit(no_down, 2);
  CHECK_THAT(no_down.err, Catch::Contains("has no '-- schemagate:down' section"));
  std::string d = revision_of("golang-migrate", "4");
  CHECK(version_rows(db) == d);

  std::string b = revision_of("golang-migrate", "2");
  expect_exit(run_cli(project, db.url(), {"stamp", revision_of("golang-migrate", "3")}), 0);
  auto failed = run_cli(project, db.url(), {"downgrade", "base"});
  expect_exit(failed, 1);
  fs::path file = project.root() / "versions" / (b + "_b.sql");
  std::string text = slurp(file);
  int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + text.find("b_with_a_typo"), '\n'));
  CHECK_THAT(failed.err, Catch::Contains(file.string() + ":" + std::to_string(line) + ": down of revision " + b));
  CHECK_THAT(failed.err, Catch::Contains("relation \"b_with_a_typo\" does not exist"));
  CHECK(version_rows(db) == b);
  CHECK(db.table_exists("b"));
  CHECK_FALSE(db.table_exists("c"));
}

TEST_CASE("import refuses an unknown format", "[import]") {
  TestDatabase db;
  Project project;
  auto unknown = run_cli(project, db.url(), {"import", "--from", "liquibase", "x"});
  expect_exit(unknown, 2);
  CHECK_THAT(unknown.err, Catch::Contains("import needs --from alembic, golang-migrate, flyway, "
                                          "dbmate or diesel, not 'liquibase'"));
}

TEST_CASE("Flyway repeatables become repeatable revisions, applied after the heads", "[import]") {
  TestDatabase db;
  Project project;
  const fs::path source = fixture("flyway-repeatable");
  expect_exit(run_cli(project, db.url(), {"import", "--from", "flyway", source.string()}), 0);
  const std::string view = "d18b662a0d6b";  // sha256("flyway:R:names_view")
  CHECK_THAT(slurp(project.root() / "versions" / (view + "_names_view.sql")),
             Catch::Contains("-- schemagate:repeatable true"));
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  CHECK(db.table_exists("names"));
  CHECK(db.table_exists("ids"));
  CHECK(db.scalar("SELECT count(*) FROM schemagate_history WHERE direction = 'repeat' AND "
                  "revision = '" + view + "'") == "1");
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  CHECK(db.scalar("SELECT count(*) FROM schemagate_history WHERE direction = 'repeat'") == "2");
  // Importing again writes nothing new.
  auto again = run_cli(project, db.url(), {"import", "--from", "flyway", source.string()});
  expect_exit(again, 0);
  CHECK(again.out.empty());
}

TEST_CASE("adopting a Flyway database records the repeatables it applied from these files",
          "[import]") {
  TestDatabase db;
  Project project;
  const fs::path source = fixture("flyway-repeatable");
  // Flyway applied V1 and both views, but views/R__ids_view.sql was edited
  // since (its recorded checksum is another text's).
  psql(db.url(), "CREATE TABLE t (id int, name text); "
                 "CREATE VIEW names AS SELECT name FROM t; CREATE VIEW ids AS SELECT 1 AS id;");
  db.scalar(R"(CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version
      varchar(50), description varchar(200) NOT NULL, type varchar(20) NOT NULL, script
      varchar(1000) NOT NULL, checksum int, success boolean NOT NULL);
    INSERT INTO flyway_schema_history VALUES (1, '1', 'table', 'SQL', 'V1__table.sql', 7, true),
      (2, NULL, 'names view', 'SQL', 'R__names_view.sql', -1623054050, true),
      (3, NULL, 'ids view', 'SQL', 'views/R__ids_view.sql', 42, true); SELECT 1)");
  auto adopted = run_cli(project, db.url(), {"import", "--from", "flyway", source.string(),
                                             "--adopt-database"});
  expect_exit(adopted, 0);
  CHECK(version_rows(db) == revision_of("flyway", "1"));
  auto check = run_cli(project, db.url(), {"check"});
  expect_exit(check, 1);
  CHECK_THAT(check.out, Catch::Contains("pending b665ee413824 (repeatable)"));  // ids_view
  CHECK_THAT(check.out, !Catch::Contains("d18b662a0d6b"));                      // names_view
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  CHECK(db.scalar("SELECT string_agg(revision, ',') FROM schemagate_history WHERE direction = "
                  "'repeat'") == "b665ee413824");
  CHECK(db.scalar("SELECT count(*) FROM information_schema.columns WHERE table_name = 'ids' AND "
                  "column_name = 'id' AND data_type = 'integer'") == "1");
  expect_exit(run_cli(project, db.url(), {"check"}), 0);
}

TEST_CASE("a file's own BEGIN/COMMIT do not end the runner's transaction early", "[import]") {
  TempDir source;
  source.write("1_wrapped.up.sql", "BEGIN;\nCREATE TABLE wrapped (id int);\nCOMMIT;\n");
  source.write("1_wrapped.down.sql", "BEGIN;\nDROP TABLE wrapped;\nEND;\n");
  source.write("2_fails.up.sql", "BEGIN;\nCREATE TABLE half (id int);\nSELECT 1 / 0;\nCOMMIT;\n");
  TestDatabase db;
  Project project;
  expect_exit(run_cli(project, db.url(),
                      {"import", "--from", "golang-migrate", source.path().string()}),
              0);
  std::string wrapped = revision_of("golang-migrate", "1");
  auto offline = run_cli(project, db.url(), {"upgrade", wrapped, "--sql"});
  expect_exit(offline, 0);
  CHECK_THAT(offline.out, Catch::Contains("BEGIN;\nCREATE TABLE wrapped (id int);\nINSERT INTO"));
  expect_exit(run_cli(project, db.url(), {"upgrade", wrapped}), 0);
  // The table and the version row were written by one transaction.
  CHECK(db.scalar("SELECT (SELECT xmin::text FROM pg_class WHERE relname = 'wrapped') = "
                  "(SELECT xmin::text FROM schemagate_version)") == "t");

  auto failed = run_cli(project, db.url(), {"upgrade"});
  expect_exit(failed, 1);
  CHECK_THAT(failed.err, Catch::Contains("division by zero"));
  CHECK_FALSE(db.table_exists("half"));
  CHECK(version_rows(db) == wrapped);
}

TEST_CASE("golang-migrate files with BEGIN/COMMIT mid-file run whole in one transaction",
          "[import]") {
  TempDir source;
  source.write("1_mixed.up.sql", "CREATE TABLE mixed (id int);\nBEGIN;\nINSERT INTO mixed VALUES "
                                 "(1);\nCOMMIT;\nINSERT INTO mixed VALUES (2);\n");
  source.write("1_mixed.down.sql", "DROP TABLE mixed;\n");
  source.write("2_fails.up.sql", "INSERT INTO mixed VALUES (3);\nBEGIN;\nINSERT INTO mixed VALUES "
                                 "(4);\nCOMMIT;\nSELECT 1 / 0;\n");
  TestDatabase db;
  Project project;
  expect_exit(run_cli(project, db.url(),
                      {"import", "--from", "golang-migrate", source.path().string()}),
              0);
  std::string mixed = revision_of("golang-migrate", "1");
  CHECK_THAT(slurp(project.root() / "versions" / (mixed + "_mixed.sql")),
             Catch::Contains("-- schemagate:wrapped-transaction true"));
  auto failed = run_cli(project, db.url(), {"upgrade"});
  expect_exit(failed, 1);
  CHECK(version_rows(db) == mixed);
  CHECK(db.scalar("SELECT string_agg(id::text, ',' ORDER BY id) FROM mixed") == "1,2");
  // Nothing of the failed file stayed, not even what its COMMIT would have kept.
  CHECK(db.scalar("SELECT (SELECT xmin::text FROM pg_class WHERE relname = 'mixed') = "
                  "(SELECT xmin::text FROM schemagate_version)") == "t");
}

TEST_CASE("a source directory without migrations is an error, not an empty import", "[import]") {
  TempDir source;
  source.write("README.md", "# migrations\n");
  TestDatabase db;
  Project project;
  for (const std::string format : kFormats) {
    auto empty = run_cli(project, db.url(), {"import", "--from", format, source.path().string()});
    expect_exit(empty, 2);
    CHECK_THAT(empty.err, Catch::Contains("holds no " + format + " migrations"));
  }
}

TEST_CASE("flyway script configurations, placeholders and Java rows", "[import]") {
  TestDatabase db;
  Project project;
  TempDir source;
  source.write("V1__table.sql", "CREATE TABLE t (id int);\n");
  source.write("V2__index.sql", "CREATE INDEX t_id ON t (id);\n");
  source.write("V2__index.sql.conf", "executeInTransaction=false\n");
  source.write("V4__more.sql", "ALTER TABLE t ADD COLUMN name text;\n");
  expect_exit(run_cli(project, db.url(), {"import", "--from", "flyway", source.path().string()}),
              0);
  std::string index = revision_of("flyway", "2");
  CHECK_THAT(slurp(project.root() / "versions" / (index + "_index.sql")),
             Catch::Contains("-- schemagate:transactional false"));

  // Flyway applied V1, V2 and the Java migration V3; V4 is new.
  psql(db.url(), "CREATE TABLE t (id int); CREATE INDEX t_id ON t (id); CREATE TABLE java_made ();");
  db.scalar(R"(CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version
      varchar(50), description varchar(200) NOT NULL, type varchar(20) NOT NULL, script
      varchar(1000) NOT NULL, success boolean NOT NULL);
    INSERT INTO flyway_schema_history VALUES (1, '1', 'table', 'SQL', 'V1__table.sql', true),
      (2, '2', 'index', 'SQL', 'V2__index.sql', true),
      (3, '3', 'Java', 'JDBC', 'db.migration.V3__Java', true); SELECT 1)");
  auto adopted = run_cli(project, db.url(),
                         {"import", "--from", "flyway", source.path().string(), "--adopt-database"});
  expect_exit(adopted, 0);
  CHECK_THAT(adopted.err, Catch::Contains("Java (code) migrations are recorded as applied"));
  CHECK(version_rows(db) == index);
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  CHECK(version_rows(db) == revision_of("flyway", "4"));

  TempDir placeholders;
  placeholders.write("V1__grant.sql", "CREATE TABLE g (id int);\nGRANT SELECT ON g TO ${reader};\n");
  placeholders.write("V2__x.sql.conf", "executeInTransaction=false\n");
  Project other;
  auto refused = run_cli(other, db.url(),
                         {"import", "--from", "flyway", placeholders.path().string()});
  expect_exit(refused, 2);
  CHECK_THAT(refused.err, Catch::Contains("V1__grant.sql:2: Flyway placeholder ${reader}"));
  CHECK_THAT(refused.err, Catch::Contains("V2__x.sql.conf: configures V2__x.sql, which is not"));
}
