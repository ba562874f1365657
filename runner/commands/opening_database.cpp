#include "commands/opening_database.h"

#include <system_error>

#include "commands/database_settings.h"
#include "postgres/features.h"

namespace schemagate::commands {

OpeningDatabase::OpeningDatabase(const engine::DatabaseSettings& settings, Clock& clock)
    : settings_(settings), clock_(clock) {
  if (settings_.engine == "sqlite") return;
  try {
    thread_ = std::thread([this] { opened_ = postgres::open_database(settings_, clock_, &stop_); });
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
