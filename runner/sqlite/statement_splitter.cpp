#include "sqlite/statement_splitter.h"

#include <sqlite3.h>

#include <cctype>

#include "sql/source_position.h"

namespace schemagate::sqlite {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

/// The end of the quoted token or comment starting at `at`, or `at` when
/// none starts there. SQLite's quotes: '...' and "..." (doubled to escape),
/// `...` and [...]; comments: -- to the end of the line and /* ... */ (not
/// nested). An unterminated one runs to the end, as in SQLite's tokenizer.
size_t skip_quoted(const std::string& body, size_t at) {
  const char c = body[at];
  if (c == '-' && body.compare(at, 2, "--") == 0) {
    size_t newline = body.find('\n', at);
    return newline == std::string::npos ? body.size() : newline + 1;
  }
  if (c == '/' && body.compare(at, 2, "/*") == 0) {
    size_t close = body.find("*/", at + 2);
    return close == std::string::npos ? body.size() : close + 2;
  }
  char close = c == '[' ? ']' : c;
  if (c != '\'' && c != '"' && c != '`' && c != '[') return at;
  size_t position = at + 1;
  while (true) {
    size_t found = body.find(close, position);
    if (found == std::string::npos) return body.size();
    // A doubled quote is an escaped one (not inside [...]).
    if (c != '[' && found + 1 < body.size() && body[found + 1] == close) {
      position = found + 2;
      continue;
    }
    return found + 1;
  }
}

/// Past blanks, stray `;` and comments: where the next statement starts.
size_t skip_leading_noise(const std::string& body, size_t at) {
  while (at < body.size()) {
    if (is_blank(body[at]) || body[at] == ';') {
      ++at;
    } else if (body.compare(at, 2, "--") == 0 || body.compare(at, 2, "/*") == 0) {
      at = skip_quoted(body, at);
    } else {
      break;
    }
  }
  return at;
}

size_t trim_trailing(const std::string& body, size_t begin, size_t end) {
  while (end > begin && is_blank(body[end - 1])) --end;
  return end;
}

bool equals_word(const std::string& body, size_t begin, size_t end, const char* word) {
  size_t length = std::char_traits<char>::length(word);
  if (end - begin != length) return false;
  for (size_t i = 0; i < length; ++i) {
    if (std::toupper(static_cast<unsigned char>(body[begin + i])) != word[i]) return false;
  }
  return true;
}

}  // namespace

std::vector<sql::Statement> split_statements(const std::string& body, int first_line) {
  std::vector<sql::Statement> statements;
  sql::LineCounter lines(body, first_line);
  auto emit = [&](size_t begin, size_t end) {
    end = trim_trailing(body, begin, end);
    if (end > begin) {
      statements.push_back({body.substr(begin, end - begin), begin, lines.line_at(begin)});
    }
  };
  size_t begin = skip_leading_noise(body, 0);
  // The last two tokens seen: a statement the first `;` did not complete
  // (a CREATE TRIGGER) can only be completed by `; END ;`, so
  // sqlite3_complete runs there and at each first `;`, which keeps the split
  // linear whatever the body holds.
  bool first_semicolon = true;
  bool after_semicolon = false;  // the last token was `;`
  bool after_end = false;        // the last two tokens were `;` then END
  size_t at = begin;
  while (at < body.size()) {
    const char c = body[at];
    size_t skipped = skip_quoted(body, at);
    if (skipped != at) {
      bool comment = c == '-' || c == '/';
      if (!comment) after_semicolon = after_end = false;
      at = skipped;
      continue;
    }
    if (is_blank(c)) {
      ++at;
      continue;
    }
    if (c == ';') {
      bool candidate = first_semicolon || after_end;
      first_semicolon = false;
      after_end = false;
      after_semicolon = true;
      if (candidate && sqlite3_complete(body.substr(begin, at + 1 - begin).c_str())) {
        emit(begin, at);
        begin = skip_leading_noise(body, at + 1);
        at = begin;
        first_semicolon = true;
        after_semicolon = false;
        continue;
      }
      ++at;
      continue;
    }
    size_t end = at + 1;
    if (is_word_char(c)) {
      while (end < body.size() && is_word_char(body[end])) ++end;
    }
    after_end = after_semicolon && equals_word(body, at, end, "END");
    after_semicolon = false;
    at = end;
  }
  if (begin < body.size()) emit(begin, body.size());
  return statements;
}

}  // namespace schemagate::sqlite
