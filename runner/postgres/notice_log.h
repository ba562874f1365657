#pragma once

#include <string>

#include <pqxx/pqxx>

#include "schemagate/common/logging.h"

namespace schemagate::postgres {

/// While alive, logs the server's NOTICEs and WARNINGs on `connection` with
/// the revision they came from: "index already exists, skipping" from an IF
/// NOT EXISTS is how a leftover INVALID index used to pass unseen.
class NoticeLog : public pqxx::errorhandler {
 public:
  NoticeLog(pqxx::connection& connection, std::string revision)
      : pqxx::errorhandler(connection), revision_(std::move(revision)) {}

  bool operator()(const char message[]) noexcept override {
    try {
      std::string text(message);
      while (!text.empty() && text.back() == '\n') text.pop_back();
      log::info("server notice", {{"revision", revision_}, {"notice", text}});
    } catch (...) {
      // A notice that cannot be logged must not fail the migration.
    }
    return false;
  }

 private:
  std::string revision_;
};

}  // namespace schemagate::postgres
