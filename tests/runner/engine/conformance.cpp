#include "conformance.h"

#include <map>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "engine/migrator.h"
#include "support/temp_dir.h"

namespace schemagate::testing {
namespace {

using engine::MigratorOptions;
using engine::StoredState;

const std::string kA = "aaaaaaaaaaa1";
const std::string kB = "bbbbbbbbbbb2";
const std::string kC = "ccccccccccc3";
const std::string kD = "ddddddddddd4";

/// A migration directory written as the test goes.
class Revisions {
 public:
  void add(const std::string& id, const std::vector<std::string>& parents, const std::string& up,
           const std::string& down, const std::string& header = "") {
    dir_.write("versions/" + id + "_test.sql", migration_text(id, parents, up, down, header));
  }
  /// A revision creating table t_ID, its down dropping it.
  void table(const std::string& id, const std::vector<std::string>& parents,
             const std::string& header = "") {
    add(id, parents, "CREATE TABLE t_" + id + " (id int);\n", "DROP TABLE t_" + id + ";\n",
        header);
  }
  void repeatable(const std::string& id, const std::string& up) {
    dir_.write("versions/" + id + "_test.sql",
               "-- schemagate:revision " + id + "\n-- schemagate:repeatable true\n"
               "-- schemagate:message repeatable " + id + "\n\n-- schemagate:up\n" + up);
  }
  script::ScriptDirectory load() const {
    Result<script::ScriptDirectory> scripts = script::ScriptDirectory::load(dir_.path());
    REQUIRE(scripts);
    return std::move(scripts).value();
  }

 private:
  TempDir dir_;
};

/// A migrator over `database` and `scripts`, run in the engine's guard.
class Runner {
 public:
  Runner(engine::Database& database, const script::ScriptDirectory& scripts,
         MigratorOptions options = {})
      : database_(database), migrator_(database, scripts, with_defaults(options),
                                       Clock::real()) {}

  Status upgrade(const std::string& target = "heads") {
    return database_.guard([&]() -> Status {
      Result<script::Target> rows = migrator_.upgrade(target, out_);
      return rows ? Status() : Status(rows.error());
    });
  }
  Status downgrade(const std::string& target) {
    return database_.guard([&]() -> Status {
      Result<script::Target> rows = migrator_.downgrade(target, out_);
      return rows ? Status() : Status(rows.error());
    });
  }
  Status stamp(const std::string& target) {
    return database_.guard([&]() -> Status {
      Result<script::Target> rows = migrator_.stamp(target, out_);
      return rows ? Status() : Status(rows.error());
    });
  }
  Status repair() {
    return database_.guard([&]() { return migrator_.repair(out_); });
  }

 private:
  static MigratorOptions with_defaults(MigratorOptions options) {
    options.applied_by = "conformance";
    options.lock_timeout = std::chrono::milliseconds(200);
    return options;
  }

  engine::Database& database_;
  engine::Migrator migrator_;
  std::ostringstream out_;
};

StoredState state_of(engine::Database& database) {
  StoredState state;
  Status read = database.guard([&]() -> Status {
    state = database.read_state();
    return {};
  });
  REQUIRE(read);
  return state;
}

std::map<std::string, std::string> checksums_of(engine::Database& database) {
  std::map<std::string, std::string> checksums;
  Status read = database.guard([&]() -> Status {
    checksums = database.recorded_checksums();
    return {};
  });
  REQUIRE(read);
  return checksums;
}

std::string checksum_of(const script::ScriptDirectory& scripts, const std::string& id) {
  Result<std::string> checksum = scripts.checksum(*scripts.map().find(id));
  REQUIRE(checksum);
  return *checksum;
}

std::vector<std::string> rows(engine::Database& database) {
  return state_of(database).version_rows;
}

ErrorCode code_of(const Status& status) {
  REQUIRE_FALSE(status);
  return status.error().code();
}

}  // namespace

void database_conformance(const EngineFactory& make_engine) {
  std::unique_ptr<EngineUnderTest> engine = make_engine();
  std::unique_ptr<engine::Database> database = engine->connect();
  Revisions revisions;

  SECTION("a fresh database reads as empty, without bookkeeping tables") {
    StoredState state = state_of(*database);
    CHECK_FALSE(state.version_table_exists);
    CHECK_FALSE(state.history_table_exists);
    CHECK(state.version_rows.empty());
    CHECK(state.history_rows == 0);
    CHECK(state.blocking.empty());
    CHECK(checksums_of(*database).empty());
  }

  SECTION("an upgrade applies the plan with its version rows and history") {
    revisions.table(kA, {});
    revisions.table(kB, {kA});
    script::ScriptDirectory scripts = revisions.load();
    REQUIRE(Runner(*database, scripts).upgrade());
    StoredState state = state_of(*database);
    CHECK(state.version_rows == std::vector<std::string>{kB});
    CHECK(state.history_rows == 2);
    std::map<std::string, std::string> checksums = checksums_of(*database);
    CHECK(checksums.at(kA) == scripts.migration(*scripts.map().find(kA)).checksum());
    CHECK(checksums.at(kB) == scripts.migration(*scripts.map().find(kB)).checksum());
    // At head: nothing more, and nothing written.
    REQUIRE(Runner(*database, scripts).upgrade());
    CHECK(state_of(*database).history_rows == 2);
  }

  SECTION("a failing revision rolls back alone: the plan's prefix stays") {
    revisions.table(kA, {});
    revisions.add(kB, {kA}, "CREATE TABLE t_b (id int);\nSELECT * FROM fail_here;\n",
                  "SELECT 1;\n");
    revisions.table(kC, {kB});
    script::ScriptDirectory scripts = revisions.load();
    CHECK(code_of(Runner(*database, scripts).upgrade()) == ErrorCode::kMigrationFailed);
    StoredState state = state_of(*database);
    CHECK(state.version_rows == std::vector<std::string>{kA});
    CHECK(state.history_rows == 2);  // kA's up, kB's failure
    CHECK(checksums_of(*database).count(kB) == 0);
    CHECK(state.blocking.empty());
  }

  SECTION("a downgrade walks back, to base") {
    revisions.table(kA, {});
    revisions.table(kB, {kA});
    script::ScriptDirectory scripts = revisions.load();
    REQUIRE(Runner(*database, scripts).upgrade());
    REQUIRE(Runner(*database, scripts).downgrade("-1"));
    CHECK(rows(*database) == std::vector<std::string>{kA});
    REQUIRE(Runner(*database, scripts).downgrade("base"));
    CHECK(rows(*database).empty());
    CHECK(state_of(*database).history_rows == 4);
  }

  SECTION("branches apply side by side and a merge joins them") {
    revisions.table(kA, {});
    revisions.table(kB, {kA});
    revisions.table(kC, {kA});
    revisions.table(kD, {kB, kC});
    script::ScriptDirectory scripts = revisions.load();
    REQUIRE(Runner(*database, scripts).upgrade(kB));
    REQUIRE(Runner(*database, scripts).upgrade(kC));
    CHECK(rows(*database) == std::vector<std::string>{kB, kC});
    REQUIRE(Runner(*database, scripts).upgrade());
    CHECK(rows(*database) == std::vector<std::string>{kD});
    REQUIRE(Runner(*database, scripts).downgrade(kB));
    CHECK(rows(*database) == std::vector<std::string>{kB, kC});
  }

  SECTION("a non-transactional failure blocks the next upgrade until repair") {
    revisions.table(kA, {});
    revisions.add(kB, {kA}, "CREATE TABLE t_nt (id int);\nSELECT * FROM fail_here;\n",
                  "SELECT 1;\n", "-- schemagate:transactional false\n");
    script::ScriptDirectory scripts = revisions.load();
    CHECK(code_of(Runner(*database, scripts).upgrade()) == ErrorCode::kMigrationFailed);
    StoredState state = state_of(*database);
    CHECK(state.version_rows == std::vector<std::string>{kA});
    REQUIRE(state.blocking.size() == 1);
    CHECK(state.blocking[0].revision == kB);
    CHECK(state.blocking[0].direction == "up");
    CHECK_FALSE(state.blocking[0].in_progress);
    CHECK(code_of(Runner(*database, scripts).upgrade()) == ErrorCode::kStateRefused);
    REQUIRE(Runner(*database, scripts).repair());
    CHECK(state_of(*database).blocking.empty());
  }

  SECTION("stamp moves the rows without running anything, and clears failures") {
    revisions.add(kA, {}, "SELECT * FROM fail_here;\n", "SELECT 1;\n");
    revisions.table(kB, {kA});
    script::ScriptDirectory scripts = revisions.load();
    REQUIRE(Runner(*database, scripts).stamp(kA));
    CHECK(rows(*database) == std::vector<std::string>{kA});
    REQUIRE(Runner(*database, scripts).upgrade());
    CHECK(rows(*database) == std::vector<std::string>{kB});
    REQUIRE(Runner(*database, scripts).stamp("base"));
    CHECK(rows(*database).empty());
  }

  SECTION("the recorded checksum of a revision is its latest up, stamp or repair") {
    revisions.add(kA, {}, "SELECT 1;\n", "SELECT 1;\n");
    revisions.add(kB, {kA}, "SELECT 1;\n", "SELECT 1;\n");
    script::ScriptDirectory scripts = revisions.load();
    REQUIRE(Runner(*database, scripts).upgrade(kA));
    REQUIRE(Runner(*database, scripts).stamp(kB));
    std::map<std::string, std::string> checksums = checksums_of(*database);
    CHECK(checksums.size() == 2);
    CHECK(checksums.at(kA) == checksum_of(scripts, kA));
    CHECK(checksums.at(kB) == checksum_of(scripts, kB));
    revisions.add(kA, {}, "SELECT 2;\n", "SELECT 1;\n");
    script::ScriptDirectory edited = revisions.load();
    REQUIRE(checksum_of(edited, kA) != checksum_of(scripts, kA));
    REQUIRE(Runner(*database, edited).repair());
    checksums = checksums_of(*database);
    CHECK(checksums.at(kA) == checksum_of(edited, kA));
    CHECK(checksums.at(kB) == checksum_of(scripts, kB));
    // A downgrade records no checksum and leaves the recorded ones.
    REQUIRE(Runner(*database, edited).downgrade("base"));
    CHECK(checksums_of(*database) == checksums);
  }

  SECTION("an edited applied file stops a run with steps, not one at its target") {
    revisions.table(kA, {});
    revisions.table(kB, {kA});
    REQUIRE(Runner(*database, revisions.load()).upgrade(kA));
    revisions.add(kA, {}, "SELECT 2;\n", "DROP TABLE t_" + kA + ";\n");
    script::ScriptDirectory edited = revisions.load();
    // Already there: nothing runs, so nothing is compared.
    REQUIRE(Runner(*database, edited).upgrade(kA));
    Status refused = Runner(*database, edited).upgrade();
    CHECK(code_of(refused) == ErrorCode::kStateRefused);
    CHECK_THAT(refused.error().message(), Catch::Contains(kA));
    CHECK(rows(*database) == std::vector<std::string>{kA});
    MigratorOptions allow;
    allow.allow_changed = true;
    REQUIRE(Runner(*database, edited, allow).upgrade());
    CHECK(rows(*database) == std::vector<std::string>{kB});
  }

  SECTION("a stamp whose rows moved under it writes nothing") {
    revisions.table(kA, {});
    revisions.table(kB, {kA});
    REQUIRE(Runner(*database, revisions.load()).upgrade(kA));
    Status moved = database->guard([&]() -> Status {
      database->ensure_tables();
      return database->write_stamp({kB}, {kA}, {});
    });
    CHECK(code_of(moved) == ErrorCode::kMigrationFailed);
    CHECK_THAT(moved.error().message(), Catch::Contains("version rows changed concurrently"));
    CHECK(rows(*database) == std::vector<std::string>{kA});
  }

  SECTION("repeatables run once the heads are reached, and again only when changed") {
    revisions.table(kA, {});
    // Portable SQL: SQLite has no CREATE OR REPLACE VIEW.
    revisions.repeatable("fffffffffff1", "DROP VIEW IF EXISTS v;\nCREATE VIEW v AS SELECT 1 AS one;\n");
    REQUIRE(Runner(*database, revisions.load()).upgrade());
    StoredState state = state_of(*database);
    CHECK(state.repeatable_checksums.count("fffffffffff1") == 1);
    CHECK(state.history_rows == 2);
    REQUIRE(Runner(*database, revisions.load()).upgrade());
    CHECK(state_of(*database).history_rows == 2);
    revisions.repeatable("fffffffffff1",
                         "DROP VIEW IF EXISTS v;\nCREATE VIEW v AS SELECT 1 AS one, 2 AS two;\n");
    REQUIRE(Runner(*database, revisions.load()).upgrade());
    CHECK(state_of(*database).history_rows == 3);
  }

  SECTION("one runner holds the lock; another gives up with exit 4, then gets it") {
    std::unique_ptr<engine::Database> other = engine->connect();
    std::unique_ptr<engine::MigrationLock> held;
    REQUIRE(database->guard([&]() -> Status {
      Result<std::unique_ptr<engine::MigrationLock>> lock =
          database->lock(std::chrono::milliseconds(1000));
      if (!lock) return lock.error();
      held = std::move(lock).value();
      return {};
    }));
    revisions.table(kA, {});
    script::ScriptDirectory scripts = revisions.load();
    CHECK(code_of(Runner(*other, scripts).upgrade()) == ErrorCode::kLockTimeout);
    CHECK(rows(*other).empty());
    held.reset();
    REQUIRE(Runner(*other, scripts).upgrade());
    CHECK(rows(*database) == std::vector<std::string>{kA});
  }
}

}  // namespace schemagate::testing
