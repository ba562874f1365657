#include "postgres/round_trip.h"

#include "postgres/executor.h"
#include "postgres/postgres_database.h"
#include "postgres/scratch_database.h"

#include <algorithm>

#include "postgres/catalog_reader.h"
#include "schema/fingerprint.h"
#include "schemagate/common/logging.h"
#include "script/planner.h"

namespace schemagate::schema {
namespace {

using script::RevisionMap;

class RoundTrip {
 public:
  RoundTrip(pqxx::connection& connection, postgres::VersionStore& store,
            const script::ScriptDirectory& scripts, const engine::VersionTables& tables,
            const engine::ExecutorOptions& options)
      : connection_(connection),
        scripts_(scripts),
        map_(scripts.map()),
        tables_(tables),
        executor_(connection, store, options, {}, Clock::real()) {}

  Status run(std::ostream& out) {
    Catalog empty = read_catalog(connection_, tables_);
    script::Plan all = script::plan_upgrade(map_, {}, map_.heads());
    for (const script::Step& step : all.steps) {
      Status tested = test_revision(step);
      if (!tested) return tested;
      out << "ok " << map_.id(step.revision) << ", " << map_.revision(step.revision).message
          << "\n";
    }
    Catalog at_heads = read_catalog(connection_, tables_);

    Result<script::Plan> down = script::plan_downgrade(map_, heads_, {});
    if (!down) return down.error();
    Status undone = run_plan(*down);
    if (!undone) return undone;
    Status clean = expect(empty, "`downgrade base` after the round trips does not give back the "
                                 "empty schema");
    if (!clean) return clean;
    Status redone = run_plan(script::plan_upgrade(map_, {}, map_.heads()));
    if (!redone) return redone;
    Status same = expect(at_heads, "`upgrade heads` from base does not give the schema that "
                                   "upgrading revision by revision gave");
    if (!same) return same;
    out << "ok downgrade base, upgrade heads: " << all.steps.size() << " revision(s), schema "
        << fingerprint(at_heads).substr(0, 12) << "\n";
    return {};
  }

 private:
  Status test_revision(const script::Step& up) {
    const RevisionMap::Index revision = up.revision;
    const script::Migration& migration = scripts_.migration(revision);
    if (migration.body_error) return *migration.body_error;
    if (!migration.down) {
      return Error(ErrorCode::kMigrationFailed,
                   migration.path + ": revision " + map_.id(revision) +
                       " has no down section, so it cannot be undone; add "
                       "`-- schemagate:down` with the SQL that reverts it");
    }
    Catalog before = read_catalog(connection_, tables_);
    Status applied = run_step(up);
    if (!applied) return applied;
    Catalog after = read_catalog(connection_, tables_);

    Status reverted = run_step(down_step(revision));
    if (!reverted) return reverted;
    Status restored = expect(before, describe_revision(revision) +
                                         ": its down does not restore the schema before it");
    if (!restored) return restored;

    Status reapplied = run_step(script::plan_upgrade(map_, heads_, {revision}).steps.front());
    if (!reapplied) return reapplied;
    return expect(after, describe_revision(revision) +
                             ": upgrading it again after its down does not give the schema of "
                             "its first upgrade");
  }

  /// The step that undoes only `revision`, a current head: its parents come
  /// back as rows unless another applied revision still stands on them.
  script::Step down_step(RevisionMap::Index revision) const {
    script::Step step{revision, script::Direction::kDown, {revision}, {}};
    std::vector<RevisionMap::Index> others;
    for (RevisionMap::Index head : heads_) {
      if (head != revision) others.push_back(head);
    }
    RevisionMap::Set still_applied = map_.ancestors(others);
    for (RevisionMap::Index parent : map_.parents(revision)) {
      if (!still_applied[parent]) step.rows_added.push_back(parent);
    }
    return step;
  }

  Status run_plan(const script::Plan& plan) {
    for (const script::Step& step : plan.steps) {
      Status done = run_step(step);
      if (!done) return done;
    }
    return {};
  }

  Status run_step(const script::Step& step) {
    Status done = executor_.run(map_, scripts_.migration(step.revision), step);
    if (!done) return done;
    for (RevisionMap::Index removed : step.rows_removed) {
      heads_.erase(std::remove(heads_.begin(), heads_.end(), removed), heads_.end());
    }
    heads_.insert(heads_.end(), step.rows_added.begin(), step.rows_added.end());
    return {};
  }

  Status expect(const Catalog& expected, const std::string& failure) {
    std::vector<Difference> differences = compare(expected, read_catalog(connection_, tables_));
    if (differences.empty()) return {};
    std::string message = failure + ":";
    for (const Difference& difference : differences) message += "\n  " + describe(difference);
    return Error(ErrorCode::kMigrationFailed, message);
  }

  std::string describe_revision(RevisionMap::Index revision) const {
    return "revision " + map_.id(revision) + " (" + scripts_.migration(revision).path + ")";
  }

  pqxx::connection& connection_;
  const script::ScriptDirectory& scripts_;
  const RevisionMap& map_;
  const engine::VersionTables& tables_;
  postgres::Executor executor_;
  std::vector<RevisionMap::Index> heads_;
};

Status round_trip(pqxx::connection& connection, postgres::VersionStore& store,
                  const script::ScriptDirectory& scripts, const engine::VersionTables& tables,
                  const engine::ExecutorOptions& options, std::ostream& out) {
  store.ensure_tables();
  return RoundTrip(connection, store, scripts, tables, options).run(out);
}

}  // namespace

Status test_round_trip(const DevServer& dev, const script::ScriptDirectory& scripts,
                       std::ostream& out) {
  Result<std::unique_ptr<ScratchDatabase>> scratch =
      ScratchDatabase::create(dev.url, dev.wait_for_db);
  if (!scratch) return scratch.error();
  log::info("testing every revision's round trip", {{"database", (*scratch)->name()}});
  pqxx::connection& connection = (*scratch)->connection();
  engine::DatabaseSettings settings;
  settings.url = dev.url;
  settings.tables = dev.tables;
  std::unique_ptr<postgres::PostgresDatabase> database =
      postgres::PostgresDatabase::over(connection, settings, Clock::real());
  return database->guard([&]() -> Status {
    postgres::VersionStore store(connection, dev.tables);
    return round_trip(connection, store, scripts, dev.tables, dev.executor, out);
  });
}

}  // namespace schemagate::schema
