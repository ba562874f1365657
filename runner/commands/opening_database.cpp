#include "commands/opening_database.h"

#include <string>
#include <system_error>

#include "commands/database_settings.h"
#include "engine/database_url.h"
#include "postgres/features.h"

namespace schemagate::commands {

OpeningDatabase::OpeningDatabase(const engine::DatabaseSettings& settings, Clock& clock)
    : settings_(settings), clock_(clock) {
  if (settings_.engine == "sqlite") return;
  try {
    thread_ = std::thread([this] {
      // An exception must not end the process from this thread: it becomes
      // the error take() returns.
      try {
        opened_ = postgres::open_database(settings_, clock_, &stop_);
      } catch (const std::exception& e) {
        opened_ = Error(ErrorCode::kUnreachable,
                        "cannot connect: " + engine::scrub_password(e.what(), settings_.url));
      }
    });
  } catch (const std::system_error&) {
    // No thread to be had: take() opens it, after the directory is read.
  }
}

OpeningDatabase::~OpeningDatabase() {
  if (!thread_.joinable()) return;
  stop_.request_stop();
  thread_.join();
}

Result<std::unique_ptr<engine::Database>> OpeningDatabase::take() {
  if (thread_.joinable()) {
    thread_.join();
  } else if (!opened_) {
    opened_ = open_database(settings_, clock_);
  }
  Result<std::unique_ptr<engine::Database>> taken = std::move(*opened_);
  opened_.reset();
  return taken;
}

}  // namespace schemagate::commands
