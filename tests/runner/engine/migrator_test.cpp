#include <sstream>

#include <catch2/catch.hpp>

#include "engine/migrator.h"
#include "memory_database.h"
#include "support/temp_dir.h"

using namespace schemagate;
using namespace schemagate::testing;

namespace {

const std::string kA = "aaaaaaaaaaa1";
const std::string kB = "bbbbbbbbbbb2";

struct Fixture {
  Fixture() {
    write(kA, {});
    write(kB, {kA});
  }
  void write(const std::string& id, const std::vector<std::string>& parents,
             const std::string& up = "SELECT 1;\n") {
    dir.write("versions/" + id + "_test.sql", migration_text(id, parents, up));
  }
  script::ScriptDirectory scripts() const {
    Result<script::ScriptDirectory> loaded = script::ScriptDirectory::load(dir.path());
    REQUIRE(loaded);
    return std::move(loaded).value();
  }
  engine::Migrator migrator(const script::ScriptDirectory& scripts,
                            engine::MigratorOptions options = {}) {
    options.lock_timeout = std::chrono::milliseconds(10);
    return engine::Migrator(database, scripts, options, Clock::real());
  }

  TempDir dir;
  std::shared_ptr<MemoryStore> store = std::make_shared<MemoryStore>();
  MemoryDatabase database{store, "runner"};
  std::ostringstream out;
};

std::vector<std::string> ids(const script::ScriptDirectory& scripts, const script::Target& rows) {
  return scripts.map().ids(rows);
}

}  // namespace

TEST_CASE("an upgrade at head reads the state once and takes no lock, writes nothing",
          "[engine][migrator]") {
  Fixture f;
  script::ScriptDirectory scripts = f.scripts();
  REQUIRE(f.migrator(scripts).upgrade("heads", f.out));
  f.store->state_reads = f.store->locks_taken = f.store->ensure_tables_calls = 0;
  f.store->lock_holder = "another runner";  // a lock would time out
  Result<script::Target> rows = f.migrator(scripts).upgrade("heads", f.out);
  REQUIRE(rows);
  CHECK(ids(scripts, *rows) == std::vector<std::string>{kB});
  CHECK(f.store->state_reads == 1);
  CHECK(f.store->checksum_reads == 0);
  CHECK(f.store->locks_taken == 0);
  CHECK(f.store->ensure_tables_calls == 0);
}

TEST_CASE("applied files are compared only when the plan has steps, in a second read",
          "[engine][migrator]") {
  Fixture f;
  REQUIRE(f.migrator(f.scripts()).upgrade(kA, f.out));
  f.write(kA, {}, "SELECT 2;\n");  // an applied file edited
  script::ScriptDirectory edited = f.scripts();
  f.store->checksum_reads = 0;

  // At its target nothing runs: no checksum read, no body compared.
  REQUIRE(f.migrator(edited).upgrade(kA, f.out));
  CHECK(f.store->checksum_reads == 0);

  Result<script::Target> refused = f.migrator(edited).upgrade("heads", f.out);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code() == ErrorCode::kStateRefused);
  CHECK_THAT(refused.error().message(), Catch::Contains(kA));
  CHECK(f.store->checksum_reads == 1);
  CHECK(f.store->version_rows == std::set<std::string>{kA});

  engine::Migrator verifier = f.migrator(edited);
  Result<engine::DatabaseState> state = verifier.read_state();
  REQUIRE(state);
  CHECK(f.store->checksum_reads == 1);
  CHECK_FALSE(verifier.verify_checksums(*state));
  CHECK(f.store->checksum_reads == 2);
  REQUIRE(verifier.find_changed(*state));  // found once per state
  CHECK(f.store->checksum_reads == 2);
  CHECK(ids(edited, state->changed) == std::vector<std::string>{kA});
}

TEST_CASE("an upgrade with work takes the lock and plans again under it", "[engine][migrator]") {
  Fixture f;
  script::ScriptDirectory scripts = f.scripts();
  Result<script::Target> rows = f.migrator(scripts).upgrade("heads", f.out);
  REQUIRE(rows);
  CHECK(ids(scripts, *rows) == std::vector<std::string>{kB});
  CHECK(f.store->locks_taken == 1);
  CHECK(f.store->state_reads == 2);
  CHECK(f.store->lock_holder.empty());  // released with the migrator

  Fixture held;
  held.store->lock_holder = "pod-x/1";
  Result<script::Target> refused = held.migrator(held.scripts()).upgrade("heads", held.out);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code() == ErrorCode::kLockTimeout);
  CHECK_THAT(refused.error().message(), Catch::Contains("pod-x/1"));
  CHECK(held.store->version_rows.empty());
}

TEST_CASE("a dry run prints the plan, takes no lock and changes nothing", "[engine][migrator]") {
  Fixture f;
  script::ScriptDirectory scripts = f.scripts();
  engine::MigratorOptions options;
  options.dry_run = true;
  Result<script::Target> rows = f.migrator(scripts, options).upgrade("heads", f.out);
  REQUIRE(rows);
  CHECK(rows->empty());
  CHECK(f.out.str() == "upgrade " + kA + ", revision " + kA + "\nupgrade " + kB + ", revision " +
                           kB + "\n");
  CHECK(f.store->locks_taken == 0);
  CHECK_FALSE(f.store->tables_exist);
}

TEST_CASE("upgrade and downgrade share their preamble: an edited applied file refuses both "
          "unless --allow-changed",
          "[engine][migrator]") {
  Fixture f;
  REQUIRE(f.migrator(f.scripts()).upgrade(kA, f.out));
  f.write(kA, {}, "SELECT 2;\n");
  script::ScriptDirectory edited = f.scripts();
  Result<script::Target> up = f.migrator(edited).upgrade("heads", f.out);
  REQUIRE_FALSE(up);
  CHECK(up.error().code() == ErrorCode::kStateRefused);
  CHECK_THAT(up.error().message(), Catch::Contains(kA));
  Result<script::Target> down = f.migrator(edited).downgrade("base", f.out);
  REQUIRE_FALSE(down);
  CHECK(down.error().code() == ErrorCode::kStateRefused);

  engine::MigratorOptions allow;
  allow.allow_changed = true;
  REQUIRE(f.migrator(edited, allow).upgrade("heads", f.out));
  REQUIRE(f.migrator(edited, allow).downgrade("base", f.out));
  CHECK(f.store->version_rows.empty());
}

TEST_CASE("a failure mid-plan leaves the steps before it, with the failure recorded",
          "[engine][migrator]") {
  Fixture f;
  f.write(kB, {kA}, "SELECT * FROM fail_here;\n");
  script::ScriptDirectory scripts = f.scripts();
  Result<script::Target> rows = f.migrator(scripts).upgrade("heads", f.out);
  REQUIRE_FALSE(rows);
  CHECK(rows.error().code() == ErrorCode::kMigrationFailed);
  CHECK_THAT(rows.error().message(), Catch::Contains(kB + "_test.sql"));
  CHECK(f.store->version_rows == std::set<std::string>{kA});
  REQUIRE(f.store->history.size() == 2);
  CHECK(f.store->history[1].record.outcome == "failed");
  CHECK(f.store->executed == std::vector<std::string>{"SELECT 1"});
}

TEST_CASE("stamp goes through the version rows' check and records the stamp",
          "[engine][migrator]") {
  Fixture f;
  script::ScriptDirectory scripts = f.scripts();
  Result<script::Target> rows = f.migrator(scripts).stamp(kB, f.out);
  REQUIRE(rows);
  CHECK(f.store->version_rows == std::set<std::string>{kB});
  CHECK(f.store->executed.empty());
  REQUIRE(f.store->history.size() == 1);
  CHECK(f.store->history[0].record.direction == "stamp");
  CHECK(f.store->locks_taken == 1);

  Result<script::Target> unknown = f.migrator(scripts).stamp("eeeeeeeeeee5", f.out);
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code() == ErrorCode::kInvalid);
}

TEST_CASE("a version row naming a revision the directory lacks refuses every command",
          "[engine][migrator]") {
  Fixture f;
  f.store->tables_exist = true;
  f.store->version_rows = {"eeeeeeeeeee5"};
  script::ScriptDirectory scripts = f.scripts();
  for (auto run : {+[](engine::Migrator& m, std::ostream& out) { return m.upgrade("heads", out); },
                   +[](engine::Migrator& m, std::ostream& out) { return m.downgrade("base", out); },
                   +[](engine::Migrator& m, std::ostream& out) { return m.stamp(kA, out); }}) {
    engine::Migrator migrator = f.migrator(scripts);
    Result<script::Target> refused = run(migrator, f.out);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code() == ErrorCode::kStateRefused);
    CHECK_THAT(refused.error().message(), Catch::Contains("eeeeeeeeeee5"));
  }
}
