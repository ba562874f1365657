#include "sql/statement_splitter.h"

#include <pg_query.h>

#include <optional>

#include "sql/source_position.h"

namespace schemagate::sql {
namespace {

/// A statement's byte range in the body, before trimming.
struct Span {
  size_t begin = 0;
  size_t end = 0;
};

/// The statement ranges libpg_query found, or nothing when it failed.
std::optional<std::vector<Span>> spans_of(PgQuerySplitResult result) {
  std::optional<std::vector<Span>> spans;
  if (result.error == nullptr) {
    spans.emplace();
    for (int i = 0; i < result.n_stmts; ++i) {
      auto begin = static_cast<size_t>(result.stmts[i]->stmt_location);
      spans->push_back({begin, begin + static_cast<size_t>(result.stmts[i]->stmt_len)});
    }
  }
  pg_query_free_split_result(result);
  return spans;
}

/// pg_query_split_with_scanner leaves out a statement that holds no keyword
/// (a typo such as `selec 1;`), and a dropped statement would let a broken
/// migration succeed. So only the ends of its statements are used, as cut
/// points, and every byte between two cuts belongs to a statement. When even
/// the scanner fails (an unterminated string), the whole body is one
/// statement and the server reports the error.
std::vector<Span> scanner_spans(const std::string& body) {
  std::vector<Span> spans;
  size_t begin = 0;
  if (auto scanned = spans_of(pg_query_split_with_scanner(body.c_str()))) {
    for (const Span& span : *scanned) {
      spans.push_back({begin, span.end});
      begin = span.end;
    }
  }
  spans.push_back({begin, body.size()});
  return spans;
}

size_t skip_block_comment(const std::string& body, size_t at, size_t end) {
  int depth = 0;
  while (at < end) {
    if (body.compare(at, 2, "/*") == 0) {
      ++depth;
      at += 2;
    } else if (body.compare(at, 2, "*/") == 0) {
      at += 2;
      if (--depth == 0) return at;
    } else {
      ++at;
    }
  }
  return end;
}

/// Where the statement's first token starts: past blanks, `;` left over from
/// the previous statement, line comments and (nested) block comments.
size_t skip_leading_noise(const std::string& body, size_t at, size_t end) {
  while (at < end) {
    char c = body[at];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == ';') {
      ++at;
    } else if (body.compare(at, 2, "--") == 0) {
      size_t newline = body.find('\n', at);
      at = newline == std::string::npos || newline > end ? end : newline + 1;
    } else if (body.compare(at, 2, "/*") == 0) {
      at = skip_block_comment(body, at, end);
    } else {
      break;
    }
  }
  return at;
}

/// The end of the statement without trailing blanks and `;`.
size_t trim_trailing(const std::string& body, size_t begin, size_t end) {
  while (end > begin) {
    char c = body[end - 1];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != ';') {
      break;
    }
    --end;
  }
  return end;
}

}  // namespace

std::vector<Statement> split_statements(const std::string& body, int first_line) {
  std::optional<std::vector<Span>> spans = spans_of(pg_query_split_with_parser(body.c_str()));
  if (!spans) spans = scanner_spans(body);

  std::vector<Statement> statements;
  LineCounter lines(body, first_line);
  for (const Span& span : *spans) {
    size_t begin = skip_leading_noise(body, span.begin, span.end);
    size_t end = trim_trailing(body, begin, span.end);
    if (begin == end) continue;
    statements.push_back({body.substr(begin, end - begin), begin, lines.line_at(begin)});
  }
  return statements;
}

}  // namespace schemagate::sql
