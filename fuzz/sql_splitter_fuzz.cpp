// PostgreSQL's scanner, the statement splitters (PostgreSQL's and SQLite's)
// and the meta-command finder on arbitrary SQL: every statement must lie
// inside the body, in order.
#include <cstdlib>

#include "fuzz_check.h"
#include "sql/meta_command.h"
#include "sql/scanner.h"
#include "sql/statement_splitter.h"
#include "sqlite/statement_splitter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace schemagate;
  std::string body = fuzz::text_of(data, size);
  if (auto tokens = sql::scan(body)) {
    for (const sql::Token& token : *tokens) {
      if (token.start < 0 || token.end < token.start || static_cast<size_t>(token.end) > size) {
        std::abort();
      }
    }
  }
  if (auto command = sql::find_meta_command(body)) {
    if (command->offset >= size || body[command->offset] != '\\') std::abort();
  }
  for (const auto& statements : {sql::split_statements(body, 7), sqlite::split_statements(body, 7)}) {
    size_t previous_end = 0;
    for (const sql::Statement& statement : statements) {
      if (statement.offset < previous_end || statement.offset + statement.sql.size() > size ||
          body.compare(statement.offset, statement.sql.size(), statement.sql) != 0 ||
          statement.line < 7) {
        std::abort();
      }
      previous_end = statement.offset + statement.sql.size();
    }
  }
  return 0;
}
