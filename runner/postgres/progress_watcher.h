#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/pqxx>

#include "postgres/progress_report.h"

namespace schemagate::postgres {

struct ProgressOptions {
  /// How often a statement still running is reported; zero turns it off.
  std::chrono::milliseconds interval{5000};
  /// libpq conninfo of the watcher's own connection, opened only once a
  /// statement runs longer than `interval`; empty: report the elapsed time
  /// without asking the server.
  std::string conninfo;
  /// The backend pid the migration connection announced: preferred when
  /// several sessions run the same text (behind a pooler it is not the real
  /// backend's, and the text alone finds it).
  int backend_pid = 0;
};

/// Reports a statement that runs longer than the interval, every interval,
/// from a thread of its own: elapsed time, the statement's first line and
/// file:line and, for an index build, pg_stat_progress_create_index's phase
/// and counts. It reads the server on its own connection, never the
/// migration's (a libpq connection is not shared between threads, and
/// through PgBouncer in transaction pooling it must stay the migration's).
/// When that connection cannot be had, the lines carry the time only and the
/// migration goes on.
class ProgressWatcher {
 public:
  explicit ProgressWatcher(ProgressOptions options);
  ~ProgressWatcher();
  ProgressWatcher(const ProgressWatcher&) = delete;
  ProgressWatcher& operator=(const ProgressWatcher&) = delete;

  /// While alive, its statement is watched.
  class Watch {
   public:
    explicit Watch(ProgressWatcher* watcher) : watcher_(watcher) {}
    ~Watch() {
      if (watcher_) watcher_->finish();
    }
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;

   private:
    ProgressWatcher* watcher_;
  };

  /// Starts watching `statement`; a null watcher watches nothing.
  static std::unique_ptr<Watch> watch(ProgressWatcher* watcher, RunningStatement statement);
  /// Starts watching statements sent together, run one after the other
  /// (statement_pipeline.h): a line names the one the server says is
  /// running, else the last one it named, else the first.
  static std::unique_ptr<Watch> watch(ProgressWatcher* watcher,
                                      std::vector<RunningStatement> statements);

 private:
  using Time = std::chrono::steady_clock::time_point;

  /// What the server says about the watched statements.
  struct Look {
    size_t running = 0;  ///< which statement it is running
    std::optional<double> elapsed_s;  ///< how long that one has run, by the server's clock
    ServerActivity activity;
  };

  void start(std::vector<RunningStatement> statements);
  void finish();
  void loop();
  void report(const RunningStatement& statement, double elapsed_s,
              const std::optional<ServerActivity>& activity);
  /// The server's view of the statement running; nothing when it cannot be
  /// read or runs none of `statements`. `named`: the one a look found last.
  std::optional<Look> ask_server(const std::vector<RunningStatement>& statements, size_t named);

  ProgressOptions options_;
  std::unique_ptr<pqxx::connection> connection_;  ///< the watcher thread's only
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<RunningStatement> current_;  ///< empty: nothing is watched
  size_t last_named_ = 0;  ///< in current_, the statement a look found last
  bool idle_ = true;  ///< the thread waits for a statement, with no deadline
  Time started_{};
  Time next_report_{};
  uint64_t generation_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace schemagate::postgres
