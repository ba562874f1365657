#include "postgres/scratch_database.h"

#include <unistd.h>

#include <cstdio>
#include <random>

#include "postgres/connector.h"
#include "engine/database_url.h"
#include "schemagate/common/clock.h"
#include "schemagate/common/logging.h"
#include "sql/statement_splitter.h"

namespace schemagate::schema {
namespace {

std::string unique_name(std::mt19937_64& random) {
  char suffix[17];
  std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(random()));
  return "schemagate_scratch_" + std::to_string(getpid()) + "_" + suffix;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

Result<std::unique_ptr<ScratchDatabase>> ScratchDatabase::create(
    const std::string& dev_url, std::chrono::milliseconds wait_for_db) {
  Result<engine::ConnectionString> parsed = engine::ConnectionString::parse(dev_url);
  if (!parsed) return parsed.error().with_context("--dev-url");
  std::unique_ptr<ScratchDatabase> scratch(new ScratchDatabase());
  std::mt19937_64 random(std::random_device{}());
  postgres::ConnectOptions options;
  options.url = dev_url;
  options.application_name = "schemagate/scratch";
  options.wait_for_db = wait_for_db;
  Result<std::unique_ptr<pqxx::connection>> admin = postgres::connect(options, Clock::real(), random);
  if (!admin) return admin.error().with_context("the dev server (--dev-url)");
  scratch->admin_ = std::move(admin).value();
  scratch->dev_url_ = dev_url;
  scratch->name_ = unique_name(random);
  try {
    pqxx::nontransaction create(*scratch->admin_);
    create.exec("CREATE DATABASE " + scratch->name_ + " TEMPLATE template0");
  } catch (const pqxx::sql_error& e) {
    scratch->name_.clear();
    return Error(ErrorCode::kUnreachable,
                 "the dev server (" + engine::redact_url(dev_url) +
                     ") refused to create a scratch database: " +
                     engine::scrub_password(e.what(), dev_url) +
                     "; the role of --dev-url needs CREATEDB");
  }
  // A later key=value wins in libpq, so this names the scratch database.
  scratch->url_ = parsed->conninfo({{"application_name", "schemagate/scratch"}}) +
                  " dbname=" + scratch->name_;
  log::debug("created scratch database", {{"database", scratch->name_}});
  return scratch;
}

pqxx::connection& ScratchDatabase::connection() {
  if (!connection_) connection_ = std::make_unique<pqxx::connection>(url_);
  return *connection_;
}

ScratchDatabase::~ScratchDatabase() {
  if (name_.empty()) return;
  connection_.reset();
  try {
    // WITH (FORCE) ends sessions a failed run left behind; servers before
    // 13 do not know it, and there all of ours are closed already.
    bool force = admin_->server_version() >= 130000;
    pqxx::nontransaction drop(*admin_);
    drop.exec("DROP DATABASE IF EXISTS " + name_ + (force ? " WITH (FORCE)" : ""));
    log::debug("dropped scratch database", {{"database", name_}});
  } catch (const std::exception& e) {
    log::warn("could not drop the scratch database; drop it by hand",
              {{"database", name_}, {"error", engine::scrub_password(e.what(), dev_url_)}});
  }
}

Status apply_declared_schema(pqxx::connection& connection, const std::vector<SourceFile>& files) {
  for (const SourceFile& file : files) {
    for (const sql::Statement& statement : sql::split_statements(file.text, 1)) {
      try {
        pqxx::nontransaction run(connection);
        run.exec(statement.sql);
      } catch (const pqxx::sql_error& e) {
        return Error(ErrorCode::kInvalid,
                     file.path + ":" + std::to_string(statement.line) +
                         ": the declared schema does not apply (SQLSTATE " + e.sqlstate() + "): " +
                         first_line(e.what()) + "; fix the schema file");
      }
    }
  }
  return {};
}

}  // namespace schemagate::schema
