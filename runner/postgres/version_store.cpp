#include "postgres/version_store.h"

#include <algorithm>

#include "engine/sql_text.h"

namespace schemagate::postgres {
namespace {

constexpr const char* kUndefinedTable = "42P01";

void read_rows(const pqxx::result& rows, engine::StoredState& state, int& server_pid) {
  for (const auto& row : rows) {
    const std::string kind = row[0].as<std::string>();
    if (kind == "p") {
      server_pid = row[1].as<int>();
    } else if (kind == "v") {
      state.version_rows.push_back(row[2].as<std::string>());
    } else if (kind == "n") {
      state.history_rows = row[1].as<int64_t>();
    } else if (kind == "b") {
      state.blocking.push_back({row[2].as<std::string>(), row[3].as<std::string>(),
                                row[4].as<std::string>(), row[5].as<std::string>(),
                                row[6].as<bool>()});
    } else if (kind == "r") {
      state.repeatable_checksums[row[2].as<std::string>()] = row[3].as<std::string>();
    }
  }
  std::sort(state.version_rows.begin(), state.version_rows.end());
}

}  // namespace

engine::StoredState VersionStore::read_state(const std::string& settings) {
  engine::StoredState state;
  pqxx::nontransaction query(connection_);
  const std::string prefix = settings.empty() ? "" : settings + "; ";
  try {
    // The usual run: both tables are there, and one round trip reads it all.
    read_rows(query.exec(prefix + state_sql(tables_, true, true)), state, server_pid_);
    state.version_table_exists = state.history_table_exists = known_to_exist_ = true;
    return state;
  } catch (const pqxx::sql_error& error) {
    if (error.sqlstate() != kUndefinedTable) throw;
  }
  // The rows count even without the history table: Alembic's own
  // alembic_version, shared, has none; elsewhere the bookkeeping check
  // refuses the run rather than read an empty table as "nothing applied".
  pqxx::row exists = query.exec1(prefix + "SELECT to_regclass(" +
                                 engine::quote_literal(tables_.version()) +
                                 ") IS NOT NULL, to_regclass(" +
                                 engine::quote_literal(tables_.history()) + ") IS NOT NULL");
  state.version_table_exists = exists[0].as<bool>();
  state.history_table_exists = exists[1].as<bool>();
  read_rows(query.exec(state_sql(tables_, state.version_table_exists, state.history_table_exists)),
            state, server_pid_);
  return state;
}

std::map<std::string, std::string> VersionStore::recorded_checksums() {
  std::map<std::string, std::string> checksums;
  pqxx::nontransaction query(connection_);
  try {
    for (const auto& row : query.exec(recorded_checksums_sql(tables_))) {
      checksums[row[0].as<std::string>()] = row[1].as<std::string>();
    }
  } catch (const pqxx::sql_error& error) {
    // No history table: nothing recorded (the bookkeeping check judges that).
    if (error.sqlstate() != kUndefinedTable) throw;
  }
  return checksums;
}

void VersionStore::ensure_tables() {
  if (known_to_exist_) return;
  pqxx::work create(connection_);
  create.exec(create_tables_sql(tables_));
  create.commit();
  known_to_exist_ = true;
}

void VersionStore::write_versions(pqxx::transaction_base& tx,
                                  const std::vector<std::string>& removed,
                                  const std::vector<std::string>& added) {
  if (!removed.empty()) {
    pqxx::result deleted = tx.exec(delete_versions_sql(tables_, removed));
    if (deleted.affected_rows() != removed.size()) {
      std::string expected;
      for (const std::string& row : removed) expected += (expected.empty() ? "" : ", ") + row;
      throw_version_rows_moved(expected, std::to_string(deleted.affected_rows()));
    }
  }
  if (!added.empty()) tx.exec(insert_versions_sql(tables_, added));
}

void VersionStore::record(const HistoryRecord& record) {
  pqxx::work write(connection_);
  write.exec(insert_history_sql(tables_, record));
  write.commit();
}

int64_t VersionStore::record_attempt(const HistoryRecord& record) {
  pqxx::work write(connection_);
  pqxx::row id = write.exec1(insert_history_sql(tables_, record) + " RETURNING id");
  write.commit();
  return id[0].as<int64_t>();
}

void VersionStore::note_attempt(int64_t id, const std::string& error) {
  pqxx::work write(connection_);
  write.exec("UPDATE " + tables_.history() + " SET error = " +
             engine::quote_literal(engine::cut_for_history(error)) +
             " WHERE id = " + std::to_string(id));
  write.commit();
}

void VersionStore::finish_attempt(pqxx::transaction_base& tx, int64_t id,
                                  const std::string& revision) {
  tx.exec("DELETE FROM " + tables_.history() + " WHERE id = " + std::to_string(id));
  tx.exec("UPDATE " + tables_.history() + " SET blocking = false WHERE blocking AND revision = " +
          tx.quote(revision));
}

int VersionStore::clear_blocking_failures(pqxx::transaction_base& tx) {
  pqxx::result cleared =
      tx.exec("UPDATE " + tables_.history() + " SET blocking = false WHERE blocking");
  return static_cast<int>(cleared.affected_rows());
}

void throw_version_rows_moved(const std::string& expected, const std::string& found) {
  // Another writer changed the rows under us: abort rather than guess.
  throw pqxx::sql_error("version rows changed concurrently: expected to move " + expected +
                            ", found " + found,
                        "", "40001");
}

}  // namespace schemagate::postgres
