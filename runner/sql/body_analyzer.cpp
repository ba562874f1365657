#include "sql/body_analyzer.h"

#include "sql/meta_command.h"
#include "sql/source_position.h"

namespace schemagate::sql {
namespace {

Error invalid(const std::string& path, int line, const std::string& message) {
  return Error(ErrorCode::kInvalid, path + ":" + std::to_string(line) + ": " + message);
}

bool opens_transaction(const Classification& classification) {
  return classification.kind == StatementKind::kTransactionControl &&
         (classification.command == "BEGIN" || classification.command == "START TRANSACTION");
}

bool closes_transaction(const Classification& classification) {
  // END parses as COMMIT.
  return classification.kind == StatementKind::kTransactionControl &&
         classification.command == "COMMIT";
}

/// Replaces `statement` in `sql` by one space per character, keeping
/// newlines, so that lines and PostgreSQL's character positions stay put.
std::string blank_out(const std::string& sql, const Statement& statement) {
  std::string out = sql.substr(0, statement.offset);
  for (char c : statement.sql) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out.push_back('\n');
    } else if ((byte & 0xC0) != 0x80) {  // one space per UTF-8 code point
      out.push_back(' ');
    }
  }
  out += sql.substr(statement.offset + statement.sql.size());
  return out;
}

struct Classified {
  Statement statement;
  Classification classification;
};

/// Drops a wrapped body's own BEGIN ... COMMIT pairs from `classified` and
/// blanks them out of `runnable_sql`, so the whole body runs in the runner's
/// one transaction. A pair usually wraps the whole body; golang-migrate
/// files also hold pairs mid-file, which that tool ran as written: one
/// transaction for everything is the safer reading of the same file. Each
/// BEGIN needs its COMMIT and no BEGIN may stand inside an open pair.
Status unwrap(const std::string& path, std::vector<Classified>& classified,
              std::string& runnable_sql) {
  std::vector<size_t> pairs;  // positions of the statements to drop
  const Classified* open = nullptr;
  for (size_t i = 0; i < classified.size(); ++i) {
    const Classified& entry = classified[i];
    if (opens_transaction(entry.classification)) {
      if (open) {
        return invalid(path, entry.statement.line,
                       entry.classification.command + " inside the transaction that line " +
                           std::to_string(open->statement.line) +
                           " opened; close it with COMMIT first");
      }
      open = &entry;
    } else if (closes_transaction(entry.classification)) {
      if (!open) {
        return invalid(path, entry.statement.line,
                       entry.classification.command +
                           (pairs.empty() ? " ends the body but the body does not open with BEGIN"
                                          : " closes no transaction: BEGIN is missing before it") +
                           "; a wrapped transaction needs both, or neither");
      }
      open = nullptr;
    } else {
      continue;
    }
    pairs.push_back(i);
  }
  if (open) {
    return invalid(path, open->statement.line,
                   open->classification.command +
                       " opens the body's transaction but the body does not end with COMMIT; a "
                       "wrapped transaction needs both, or neither");
  }
  // The later ones first, so the earlier offsets stay valid.
  for (auto it = pairs.rbegin(); it != pairs.rend(); ++it) {
    runnable_sql = blank_out(runnable_sql, classified[*it].statement);
    classified.erase(classified.begin() + static_cast<std::ptrdiff_t>(*it));
  }
  return {};
}

}  // namespace

Result<Analysis> analyze_body(const std::string& path, const std::string& body, int first_line,
                              bool transactional, bool wrapped_transaction) {
  // The body reaches libpg_query and libpq as a C string: a NUL would end it
  // there, and the rest would silently not run.
  size_t nul = body.find('\0');
  if (nul != std::string::npos) {
    return invalid(path, line_of_offset(body, nul, first_line),
                   "a NUL byte in the SQL; it would cut the statement short. Remove it");
  }
  if (auto command = find_meta_command(body)) {
    return invalid(path, line_of_offset(body, command->offset, first_line),
                   "psql meta-command '" + command->name +
                       "' is not SQL; schemagate runs plain SQL");
  }
  std::vector<Classified> classified;
  for (Statement& statement : split_statements(body, first_line)) {
    Classification classification = classify_statement(statement.sql);
    classified.push_back({std::move(statement), std::move(classification)});
  }
  Analysis analysis;
  analysis.runnable_sql = body;
  if (wrapped_transaction) {
    Status unwrapped = unwrap(path, classified, analysis.runnable_sql);
    if (!unwrapped) return unwrapped.error();
  }
  for (Classified& entry : classified) {
    const Classification& classification = entry.classification;
    if (classification.kind == StatementKind::kTransactionControl) {
      return invalid(path, entry.statement.line,
                     classification.command +
                         " inside a migration body would break its atomicity; remove it (" +
                         (transactional
                              ? "each transactional migration already runs in one transaction)"
                              : "a non-transactional migration runs each statement on its own)"));
    }
    if (classification.kind == StatementKind::kNoTransactionBlock && transactional) {
      return invalid(path, entry.statement.line,
                     classification.command +
                         " cannot run inside a transaction; mark the migration "
                         "'-- schemagate:transactional false'");
    }
    analysis.statements.push_back({std::move(entry.statement), classification.kind});
  }
  return analysis;
}

}  // namespace schemagate::sql
