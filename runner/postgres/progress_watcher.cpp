#include "postgres/progress_watcher.h"

#include <algorithm>
#include <cmath>

#include "schemagate/common/logging.h"

namespace schemagate::postgres {
namespace {

/// Enough of the statement to tell it from others in pg_stat_activity
/// (which keeps track_activity_query_size bytes of it, 1 KiB by default).
constexpr size_t kMatchedBytes = 2048;

std::string prefix(const std::string& sql) {
  if (sql.size() <= kMatchedBytes) return sql;
  size_t cut = kMatchedBytes;
  while (cut > 0 && (static_cast<unsigned char>(sql[cut]) & 0xC0) == 0x80) --cut;
  return sql.substr(0, cut);
}

double tenths(double value) { return std::round(value * 10) / 10; }

}  // namespace

ProgressWatcher::ProgressWatcher(ProgressOptions options) : options_(std::move(options)) {
  if (options_.interval.count() > 0) thread_ = std::thread([this] { loop(); });
}

ProgressWatcher::~ProgressWatcher() {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::unique_ptr<ProgressWatcher::Watch> ProgressWatcher::watch(ProgressWatcher* watcher,
                                                              RunningStatement statement) {
  if (!watcher || !watcher->thread_.joinable()) return std::make_unique<Watch>(nullptr);
  watcher->start(std::move(statement));
  return std::make_unique<Watch>(watcher);
}

void ProgressWatcher::start(RunningStatement statement) {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    current_ = std::move(statement);
    started_ = std::chrono::steady_clock::now();
    next_report_ = started_ + options_.interval;
    ++generation_;
  }
  wake_.notify_all();
}

void ProgressWatcher::finish() {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    current_.reset();
    ++generation_;
  }
  wake_.notify_all();
}

void ProgressWatcher::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (!current_) {
      wake_.wait(lock, [this] { return stopping_ || current_.has_value(); });
      continue;
    }
    const uint64_t watched = generation_;
    bool changed = wake_.wait_until(lock, next_report_, [this, watched] {
      return stopping_ || generation_ != watched;
    });
    if (changed) continue;
    RunningStatement statement = *current_;
    auto elapsed = std::chrono::steady_clock::now() - started_;
    lock.unlock();
    std::optional<ServerActivity> activity = ask_server(statement);
    lock.lock();
    // The statement may have finished while the server was asked.
    if (stopping_ || generation_ != watched) continue;
    lock.unlock();
    report(statement, elapsed, activity);
    lock.lock();
    // A slow look at the server must not be followed by a burst of lines.
    next_report_ = std::max(next_report_ + options_.interval,
                            std::chrono::steady_clock::now() + options_.interval / 2);
  }
}

void ProgressWatcher::report(const RunningStatement& statement,
                             std::chrono::steady_clock::duration elapsed,
                             const std::optional<ServerActivity>& activity) {
  log::Fields fields = {
      {"revision", statement.revision},
      {"at", statement.location},
      {"elapsed_s", tenths(std::chrono::duration<double>(elapsed).count())},
      {"statement", statement_headline(statement.sql)},
  };
  if (activity && !activity->wait_event_type.empty()) {
    fields.emplace_back("waiting_on", activity->wait_event_type + ":" + activity->wait_event);
  }
  if (!activity || !activity->index) {
    log::info("still running", fields);
    return;
  }
  const IndexProgress& index = *activity->index;
  fields.emplace_back("phase", index.phase);
  if (std::optional<double> percent = percent_done(index)) {
    fields.emplace_back("percent", tenths(*percent));
  }
  fields.emplace_back("blocks_done", index.blocks_done);
  fields.emplace_back("blocks_total", index.blocks_total);
  fields.emplace_back("tuples_done", index.tuples_done);
  fields.emplace_back("tuples_total", index.tuples_total);
  if (index.lockers_total > 0) {
    fields.emplace_back("lockers_done", index.lockers_done);
    fields.emplace_back("lockers_total", index.lockers_total);
  }
  if (index.partitions_total > 0) {
    fields.emplace_back("partitions_done", index.partitions_done);
    fields.emplace_back("partitions_total", index.partitions_total);
  }
  log::info("index build in progress", fields);
}

std::optional<ServerActivity> ProgressWatcher::ask_server(const RunningStatement& statement) {
  if (options_.conninfo.empty()) return std::nullopt;
  try {
    if (!connection_) connection_ = std::make_unique<pqxx::connection>(options_.conninfo);
    // One transaction per look: through PgBouncer in transaction pooling a
    // session SET would stay on a server connection others get next.
    pqxx::work tx(*connection_);
    tx.exec("SET LOCAL statement_timeout = 2000");
    const std::string text = tx.quote(prefix(statement.sql));
    pqxx::result rows = tx.exec(
        "SELECT coalesce(a.wait_event_type, ''), coalesce(a.wait_event, ''), p.phase, "
        "p.blocks_total, p.blocks_done, p.tuples_total, p.tuples_done, p.lockers_total, "
        "p.lockers_done, p.partitions_total, p.partitions_done "
        "FROM pg_stat_activity a LEFT JOIN pg_stat_progress_create_index p ON p.pid = a.pid "
        "WHERE a.state = 'active' AND a.pid <> pg_backend_pid() "
        "AND a.datname = current_database() AND length(a.query) > 0 "
        "AND left(a.query, least(length(a.query), length(" + text + "))) = "
        "left(" + text + ", least(length(a.query), length(" + text + "))) "
        "ORDER BY a.pid = " + std::to_string(options_.backend_pid) + " DESC LIMIT 1");
    tx.commit();
    if (rows.empty()) return std::nullopt;
    const pqxx::row& row = rows[0];
    ServerActivity activity;
    activity.wait_event_type = row[0].as<std::string>();
    activity.wait_event = row[1].as<std::string>();
    if (!row[2].is_null()) {
      IndexProgress index;
      index.phase = row[2].as<std::string>();
      int64_t* counts[] = {&index.blocks_total,  &index.blocks_done,     &index.tuples_total,
                           &index.tuples_done,   &index.lockers_total,   &index.lockers_done,
                           &index.partitions_total, &index.partitions_done};
      for (int i = 0; i < 8; ++i) *counts[i] = row[3 + i].as<int64_t>(0);
      activity.index = index;
    }
    return activity;
  } catch (const std::exception& e) {
    // No second connection (a pooler's limit, max_connections): the lines
    // carry the time only.
    connection_.reset();
    log::debug("progress: could not ask the server", {{"error", e.what()}});
    return std::nullopt;
  }
}

}  // namespace schemagate::postgres
