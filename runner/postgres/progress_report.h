#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace schemagate::postgres {

/// A row of pg_stat_progress_create_index for the migration's backend.
struct IndexProgress {
  std::string phase;
  int64_t blocks_total = 0, blocks_done = 0;
  int64_t tuples_total = 0, tuples_done = 0;
  int64_t lockers_total = 0, lockers_done = 0;
  int64_t partitions_total = 0, partitions_done = 0;
};

/// How far the current phase of an index build is, in percent: blocks while
/// the server scans, tuples while it loads or sorts, lockers while it waits
/// for older transactions. Nothing when the phase counts nothing.
std::optional<double> percent_done(const IndexProgress& progress);

/// What the server says the migration's statement is doing, read from a
/// second connection.
struct ServerActivity {
  std::string wait_event_type;  ///< empty when it is not waiting
  std::string wait_event;
  std::optional<IndexProgress> index;  ///< for CREATE INDEX and REINDEX
};

/// The statement being run, as progress lines name it.
struct RunningStatement {
  std::string revision;
  std::string location;  ///< path:line
  std::string sql;
};

/// Which of `statements` (run one after the other) a session's text in
/// pg_stat_activity is, given that the server keeps only the first
/// track_activity_query_size bytes of it: one whose text it is, else one it
/// is the start of (or that is the start of it). Among equals, the first
/// from `from` on (wrapping around): a batch may repeat a statement.
/// Nothing when it is none of them.
std::optional<size_t> running_statement(const std::string& server_text,
                                        const std::vector<RunningStatement>& statements,
                                        size_t from);

/// A statement's first non-empty line, shortened to `limit` bytes (a UTF-8
/// character is not split), for progress lines.
std::string statement_headline(const std::string& sql, size_t limit = 120);

}  // namespace schemagate::postgres
