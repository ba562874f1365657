#include "sqlite/body_analysis.h"

#include <cctype>
#include <vector>

#include "sql/source_position.h"
#include "sqlite/statement_splitter.h"

namespace schemagate::sqlite {
namespace {

Error invalid(const std::string& path, int line, const std::string& message) {
  return Error(ErrorCode::kInvalid, path + ":" + std::to_string(line) + ": " + message);
}

/// The statement's first words, upper case, comments and quotes aside.
std::vector<std::string> leading_words(const std::string& sql, size_t count) {
  std::vector<std::string> words;
  size_t at = 0;
  while (at < sql.size() && words.size() < count) {
    unsigned char c = static_cast<unsigned char>(sql[at]);
    if (std::isalpha(c) || c == '_') {
      std::string word;
      while (at < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[at])) ||
                                 sql[at] == '_')) {
        word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(sql[at++]))));
      }
      words.push_back(word);
    } else if (sql.compare(at, 2, "--") == 0) {
      size_t newline = sql.find('\n', at);
      at = newline == std::string::npos ? sql.size() : newline;
    } else if (sql.compare(at, 2, "/*") == 0) {
      size_t close = sql.find("*/", at + 2);
      at = close == std::string::npos ? sql.size() : close + 2;
    } else if (std::isspace(c) || c == '(' || c == ')' || c == '=' || c == '.' || c == '"' ||
               c == '\'' || c == '`' || c == '[' || c == ']') {
      ++at;
    } else {
      break;
    }
  }
  return words;
}

bool is_transaction_control(const std::vector<std::string>& words) {
  if (words.empty()) return false;
  const std::string& first = words[0];
  return first == "BEGIN" || first == "COMMIT" || first == "END" || first == "ROLLBACK" ||
         first == "SAVEPOINT" || first == "RELEASE";
}

/// Why `words` cannot run in a transaction, or empty.
std::string outside_transaction_only(const std::vector<std::string>& words) {
  if (words.empty()) return "";
  if (words[0] == "VACUUM") return "VACUUM cannot run inside a transaction";
  if (words[0] != "PRAGMA" || words.size() < 2) return "";
  // PRAGMA main.foreign_keys: the schema name comes first.
  std::string name = words.size() >= 3 && (words[1] == "MAIN" || words[1] == "TEMP")
                         ? words[2]
                         : words[1];
  if (name == "FOREIGN_KEYS" || name == "LEGACY_ALTER_TABLE" || name == "JOURNAL_MODE") {
    return "PRAGMA " + name + " does nothing inside a transaction, silently";
  }
  return "";
}

}  // namespace

Result<sql::Analysis> analyze_body(const std::string& path, const std::string& body,
                                   int first_line, bool transactional, bool wrapped_transaction) {
  size_t nul = body.find('\0');
  if (nul != std::string::npos) {
    return invalid(path, sql::line_of_offset(body, nul, first_line),
                   "a NUL byte in the SQL would cut it short here; remove it");
  }
  sql::Analysis analysis;
  analysis.runnable_sql = body;
  std::vector<sql::Statement> statements = split_statements(body, first_line);
  if (wrapped_transaction && !statements.empty() &&
      is_transaction_control(leading_words(statements.front().sql, 1))) {
    auto last = leading_words(statements.back().sql, 1);
    if (statements.size() < 2 || last.empty() || (last[0] != "COMMIT" && last[0] != "END")) {
      return invalid(path, statements.front().line,
                     "the migration opens a transaction it does not COMMIT at its end; the "
                     "runner wraps it in its own: remove the BEGIN");
    }
    statements = std::vector<sql::Statement>(statements.begin() + 1, statements.end() - 1);
  }
  for (const sql::Statement& statement : statements) {
    std::vector<std::string> words = leading_words(statement.sql, 3);
    if (is_transaction_control(words)) {
      return invalid(path, statement.line,
                     words[0] + " in a migration: schemagate runs each transactional migration "
                                "in one transaction with its version row; remove it (or mark "
                                "the migration `-- schemagate:transactional false`)");
    }
    std::string why = outside_transaction_only(words);
    if (transactional && !why.empty()) {
      return invalid(path, statement.line,
                     why + ": put it in a revision of its own marked "
                           "`-- schemagate:transactional false` (docs/sqlite.md)");
    }
    analysis.statements.push_back({statement, sql::StatementKind::kOrdinary});
  }
  return analysis;
}

}  // namespace schemagate::sqlite
