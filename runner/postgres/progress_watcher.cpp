#include "postgres/progress_watcher.h"

#include <algorithm>
#include <cmath>

#include "schemagate/common/logging.h"

namespace schemagate::postgres {
namespace {

/// Enough of the statement to tell it from others in pg_stat_activity
/// (which keeps track_activity_query_size bytes of it, 1 KiB by default).
constexpr size_t kMatchedBytes = 2048;

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
  return watch(watcher, std::vector<RunningStatement>{std::move(statement)});
}

std::unique_ptr<ProgressWatcher::Watch> ProgressWatcher::watch(
    ProgressWatcher* watcher, std::vector<RunningStatement> statements) {
  if (!watcher || !watcher->thread_.joinable() || statements.empty()) {
    return std::make_unique<Watch>(nullptr);
  }
  watcher->start(std::move(statements));
  return std::make_unique<Watch>(watcher);
}

void ProgressWatcher::start(std::vector<RunningStatement> statements) {
  bool wake = false;
  {
    std::lock_guard<std::mutex> guard(mutex_);
    current_ = std::move(statements);
    last_named_ = 0;
    started_ = std::chrono::steady_clock::now();
    next_report_ = started_ + options_.interval;
    ++generation_;
    wake = idle_;
  }
  // Only a thread waiting with no deadline needs waking: one waiting for an
  // earlier statement's deadline wakes then, finds it gone and waits for
  // this one's, which is never earlier. A run of short statements thus
  // costs the thread no wake-up each.
  if (wake) wake_.notify_all();
}

void ProgressWatcher::finish() {
  std::lock_guard<std::mutex> guard(mutex_);
  current_.clear();
  ++generation_;
}

void ProgressWatcher::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (current_.empty()) {
      idle_ = true;
      wake_.wait(lock, [this] { return stopping_ || !current_.empty(); });
      idle_ = false;
      continue;
    }
    const uint64_t watched = generation_;
    bool changed = wake_.wait_until(lock, next_report_, [this, watched] {
      return stopping_ || generation_ != watched;
    });
    if (changed) continue;
    std::vector<RunningStatement> statements = current_;
    const size_t named = last_named_;
    auto elapsed = std::chrono::steady_clock::now() - started_;
    lock.unlock();
    std::optional<Look> look = ask_server(statements, named);
    lock.lock();
    // The statement may have finished while the server was asked.
    if (stopping_ || generation_ != watched) continue;
    if (look) last_named_ = look->running;
    const RunningStatement statement = statements[last_named_];
    lock.unlock();
    report(statement,
           look && look->elapsed_s ? *look->elapsed_s
                                   : std::chrono::duration<double>(elapsed).count(),
           look ? std::optional<ServerActivity>(look->activity) : std::nullopt);
    lock.lock();
    // A slow look at the server must not be followed by a burst of lines.
    next_report_ = std::max(next_report_ + options_.interval,
                            std::chrono::steady_clock::now() + options_.interval / 2);
  }
}

void ProgressWatcher::report(const RunningStatement& statement, double elapsed_s,
                             const std::optional<ServerActivity>& activity) {
  log::Fields fields = {
      {"revision", statement.revision},
      {"at", statement.location},
      {"elapsed_s", tenths(elapsed_s)},
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

std::optional<ProgressWatcher::Look> ProgressWatcher::ask_server(
    const std::vector<RunningStatement>& statements, size_t named) {
  if (options_.conninfo.empty()) return std::nullopt;
  try {
    if (!connection_) connection_ = std::make_unique<pqxx::connection>(options_.conninfo);
    // One transaction per look: through PgBouncer in transaction pooling a
    // session SET would stay on a server connection others get next.
    pqxx::work tx(*connection_);
    tx.exec("SET LOCAL statement_timeout = 2000");
    // Every active session of the database: which one is the migration's is
    // told by its text (behind a pooler the pid is not the server's), and
    // the text also tells which of the statements runs.
    pqxx::result rows = tx.exec(
        "SELECT left(a.query, " + std::to_string(kMatchedBytes) + "), "
        "extract(epoch FROM clock_timestamp() - a.query_start)::float8, "
        "coalesce(a.wait_event_type, ''), coalesce(a.wait_event, ''), p.phase, "
        "p.blocks_total, p.blocks_done, p.tuples_total, p.tuples_done, p.lockers_total, "
        "p.lockers_done, p.partitions_total, p.partitions_done "
        "FROM pg_stat_activity a LEFT JOIN pg_stat_progress_create_index p ON p.pid = a.pid "
        "WHERE a.state = 'active' AND a.pid <> pg_backend_pid() "
        "AND a.datname = current_database() AND length(a.query) > 0 "
        "ORDER BY a.pid = " + std::to_string(options_.backend_pid) + " DESC");
    tx.commit();
    for (const pqxx::row& row : rows) {
      std::optional<size_t> running =
          running_statement(row[0].as<std::string>(), statements, named);
      if (!running) continue;
      Look look;
      look.running = *running;
      if (!row[1].is_null()) look.elapsed_s = row[1].as<double>();
      ServerActivity& activity = look.activity;
      activity.wait_event_type = row[2].as<std::string>();
      activity.wait_event = row[3].as<std::string>();
      if (!row[4].is_null()) {
        IndexProgress index;
        index.phase = row[4].as<std::string>();
        int64_t* counts[] = {&index.blocks_total,  &index.blocks_done,     &index.tuples_total,
                             &index.tuples_done,   &index.lockers_total,   &index.lockers_done,
                             &index.partitions_total, &index.partitions_done};
        for (int i = 0; i < 8; ++i) *counts[i] = row[5 + i].as<int64_t>(0);
        activity.index = index;
      }
      return look;
    }
    return std::nullopt;
  } catch (const std::exception& e) {
    // No second connection (a pooler's limit, max_connections): the lines
    // carry the time only.
    connection_.reset();
    log::debug("progress: could not ask the server", {{"error", e.what()}});
    return std::nullopt;
  }
}

}  // namespace schemagate::postgres
