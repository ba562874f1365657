// `schemagate import --from alembic` against the real Alembic (Debian's
// alembic package, which scripts/setup.sh installs) and the real PostgreSQL:
// tests/fixtures/alembic/ holds a FastAPI-style project with op.create_table,
// op.add_column, op.bulk_insert, a data migration that reads rows (which
// cannot be rendered offline), two branches and their merge.
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "runner/integration/support.h"

using namespace schemagate::testing;
namespace fs = std::filesystem;

namespace {

const char* const kHead = "0005_display_name_required";
const char* const kBackfill = "0003_backfill_display_name";

bool alembic_installed() { return run_process({"alembic", "--version"}).exit_code == 0; }

#define REQUIRE_ALEMBIC()                                                                   \
  if (!alembic_installed()) {                                                               \
    WARN("skipped: the alembic command is not installed (scripts/setup.sh installs it)");  \
    return;                                                                                 \
  }

std::string slurp(const fs::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

/// A copy of the fixture project, so Alembic's runs leave nothing in the tree.
struct AlembicProject {
  TempDir dir;
  fs::path root = dir.path() / "alembic";
  AlembicProject() {
    fs::copy(fs::path(source_dir()) / "tests" / "fixtures" / "alembic", root,
             fs::copy_options::recursive);
  }
  ProcessResult run(const std::string& url, std::vector<std::string> args) const {
    std::vector<std::string> argv = {"alembic", "-c", (root / "alembic.ini").string(), "-x",
                                     "url=" + url};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, {{"PYTHONDONTWRITEBYTECODE", "1"}});
  }
  void upgrade(const std::string& url, const std::string& target) const {
    auto result = run(url, {"upgrade", target});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
  }
};

fs::path file_of(const Project& project, const std::string& revision) {
  for (const auto& entry : fs::directory_iterator(project.root() / "versions")) {
    if (entry.path().filename().string().rfind(revision + "_", 0) == 0) return entry.path();
  }
  FAIL("no file for revision " << revision);
  return {};
}

/// What a person does with the file import could not render: writes the
/// data migration's SQL where the stopping statement stood.
void finish_by_hand(const Project& project) {
  fs::path file = file_of(project, kBackfill);
  std::string text = slurp(file);
  std::regex stop(R"(DO \$\$ BEGIN RAISE EXCEPTION [^\n]*\n)");
  REQUIRE(std::regex_search(text, stop));
  text = std::regex_replace(text, stop,
                            "UPDATE users SET display_name = first_name || ' ' || last_name;\n",
                            std::regex_constants::format_first_only);
  std::ofstream(file, std::ios::binary) << text;
}

ProcessResult import(const Project& project, const std::string& url,
                     const AlembicProject& alembic, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"import", "--from", "alembic", alembic.root.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_cli(project, url, args);
}

/// The schema without either tool's bookkeeping.
std::string user_schema(TestDatabase& db) {
  db.scalar("DROP TABLE IF EXISTS alembic_version, schemagate_version, schemagate_history; "
            "SELECT 1");
  return schema_dump(db.url());
}

fs::path shared_table_config(const Project& project) {
  fs::path config = project.root() / "schemagate.yaml";
  std::ofstream(config) << "version_table: alembic_version\n";
  return config;
}

}  // namespace

TEST_CASE("an Alembic project imports with its ids and graph, and builds Alembic's schema",
          "[alembic]") {
  REQUIRE_ALEMBIC();
  AlembicProject alembic;
  TestDatabase db;
  Project project;
  auto imported = import(project, db.url(), alembic);
  expect_exit(imported, 1);  // written, but the data migration needs a hand
  CHECK_THAT(imported.err, Catch::Contains("1 revision(s) could not be rendered offline"));
  CHECK_THAT(imported.err, Catch::Contains(file_of(project, kBackfill).string() +
                                           " (upgrade: AttributeError"));
  CHECK(std::distance(fs::directory_iterator(project.root() / "versions"), {}) == 6);

  std::string merge = slurp(file_of(project, "0004_merge"));
  CHECK_THAT(merge, Catch::Contains("-- schemagate:parents 3a5c9e1f7b20, " + std::string(kBackfill)));
  std::string posts = slurp(file_of(project, "3a5c9e1f7b20"));
  CHECK_THAT(posts, Catch::Contains("-- schemagate:branch-labels posts"));
  CHECK_THAT(posts, Catch::Contains("CREATE INDEX posts_user_id_idx ON posts (user_id);"));
  CHECK(posts.find("alembic_version") == std::string::npos);
  CHECK(posts.find("BEGIN;") == std::string::npos);

  // Unfinished, the run stops at that revision, which rolls back.
  auto stopped = run_cli(project, db.url(), {"upgrade"});
  expect_exit(stopped, 1);
  CHECK_THAT(stopped.err, Catch::Contains("imported from Alembic without its up SQL"));
  CHECK_FALSE(version_rows(db).find(kBackfill) != std::string::npos);

  finish_by_hand(project);
  expect_exit(run_cli(project, db.url(), {"upgrade", "heads"}), 0);
  CHECK(version_rows(db) == kHead);
  CHECK(db.scalar("SELECT string_agg(display_name, ', ' ORDER BY id) FROM users") ==
        "Ada Lovelace, Flann O'Brien");
  auto labelled = run_cli(project, db.url(), {"show", "posts"});
  expect_exit(labelled, 0);
  CHECK_THAT(labelled.out, Catch::Contains("3a5c9e1f7b20"));

  expect_exit(run_cli(project, db.url(), {"downgrade", "base"}), 0);
  CHECK_FALSE(db.table_exists("users"));
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);

  // Importing again changes nothing, and keeps the file finished by hand.
  auto again = import(project, db.url(), alembic);
  expect_exit(again, 0);
  CHECK(again.out.empty());

  TestDatabase by_alembic;
  alembic.upgrade(by_alembic.url(), "heads");
  CHECK(user_schema(db) == user_schema(by_alembic));
}

TEST_CASE("a database Alembic migrated to two heads is adopted in one step", "[alembic]") {
  REQUIRE_ALEMBIC();
  AlembicProject alembic;
  TestDatabase db;
  alembic.upgrade(db.url(), "3a5c9e1f7b20");
  alembic.upgrade(db.url(), kBackfill);
  Project project;

  // Without adoption, schemagate refuses to run everything again.
  auto refused = import(project, db.url(), alembic);
  expect_exit(refused, 1);
  finish_by_hand(project);
  auto upgrade = run_cli(project, db.url(), {"upgrade"});
  expect_exit(upgrade, 5);
  CHECK_THAT(upgrade.err, Catch::Contains("migrated by Alembic (its table alembic_version records "
                                          "revision(s) 0003_backfill_display_name, 3a5c9e1f7b20)"));

  auto adopted = import(project, db.url(), alembic, {"--adopt-database"});
  expect_exit(adopted, 0);
  CHECK(version_rows(db) == std::string(kBackfill) + " 3a5c9e1f7b20");
  expect_exit(run_cli(project, db.url(), {"upgrade"}), 0);
  CHECK(version_rows(db) == kHead);
  CHECK(db.scalar("SELECT string_agg(revision, ' ' ORDER BY id) FROM schemagate_history WHERE "
                  "direction = 'up'") == "0004_merge " + std::string(kHead));
  CHECK(db.scalar("SELECT count(*) FROM users") == "2");  // the seed did not run twice
}

TEST_CASE("sharing alembic_version: Alembic and schemagate each continue where the other stopped",
          "[alembic]") {
  REQUIRE_ALEMBIC();
  AlembicProject alembic;
  Project project;
  {
    TestDatabase scratch;
    expect_exit(import(project, scratch.url(), alembic), 1);
  }
  finish_by_hand(project);
  fs::path config = shared_table_config(project);

  SECTION("Alembic first, then schemagate") {
    TestDatabase db;
    alembic.upgrade(db.url(), "0002_add_display_name");
    expect_exit(run_cli(project, db.url(), {"--config", config.string(), "upgrade"}), 0);
    CHECK(db.scalar("SELECT version_num FROM alembic_version") == kHead);
    CHECK_FALSE(db.table_exists("schemagate_version"));
    auto current = alembic.run(db.url(), {"current"});
    REQUIRE(current.exit_code == 0);
    CHECK_THAT(current.out, Catch::Contains(std::string(kHead) + " (head)"));
    CHECK(db.scalar("SELECT string_agg(display_name, ', ' ORDER BY id) FROM users") ==
          "Ada Lovelace, Flann O'Brien");
  }
  SECTION("schemagate first, then Alembic") {
    TestDatabase db;
    expect_exit(run_cli(project, db.url(),
                        {"--config", config.string(), "upgrade", "0002_add_display_name"}),
                0);
    CHECK(db.scalar("SELECT version_num FROM alembic_version") == "0002_add_display_name");
    alembic.upgrade(db.url(), "heads");
    auto current = run_cli(project, db.url(), {"--config", config.string(), "current"});
    expect_exit(current, 0);
    CHECK(current.out == std::string(kHead) + " (head)\n");
    expect_exit(run_cli(project, db.url(), {"--config", config.string(), "check"}), 0);
    CHECK(db.scalar("SELECT string_agg(display_name, ', ' ORDER BY id) FROM users") ==
          "Ada Lovelace, Flann O'Brien");
  }
}
