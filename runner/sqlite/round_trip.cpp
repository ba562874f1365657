#include "sqlite/round_trip.h"

#include "engine/round_trip.h"
#include "sqlite/schema_snapshot.h"
#include "sqlite/sqlite_database.h"

namespace schemagate::sqlite {
namespace {

/// A database in memory, its schema read from SQLite's pragmas.
class SnapshotSubject : public engine::RoundTripSubject {
 public:
  SnapshotSubject(SqliteDatabase& database, const script::ScriptDirectory& scripts)
      : database_(database), map_(scripts.map()) {}

  Status apply(const script::Migration& migration, const script::Step& step) override {
    return database_.apply(map_, migration, step, true);
  }

  Snapshot snapshot() override {
    snapshots_.push_back(schema_snapshot(database_.connection(), database_.tables()));
    return snapshots_.size() - 1;
  }

  std::vector<std::string> differences_from(Snapshot snapshot) override {
    return snapshot_differences(snapshots_[snapshot],
                                schema_snapshot(database_.connection(), database_.tables()));
  }

  std::string describe(Snapshot) override { return " on SQLite"; }

 private:
  SqliteDatabase& database_;
  const script::RevisionMap& map_;
  std::vector<std::vector<std::string>> snapshots_;
};

}  // namespace

Status test_round_trip(const engine::DatabaseSettings& settings,
                       const script::ScriptDirectory& scripts, std::ostream& out) {
  engine::DatabaseSettings scratch = settings;
  scratch.url = "sqlite:///:memory:";
  Result<std::unique_ptr<SqliteDatabase>> database = SqliteDatabase::open(scratch, Clock::real());
  if (!database) return database.error();
  return (*database)->guard([&]() -> Status {
    (*database)->ensure_tables();
    SnapshotSubject subject(**database, scripts);
    return engine::round_trip(scripts, subject, out);
  });
}

}  // namespace schemagate::sqlite
