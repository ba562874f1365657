#include "script/migration_parser.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <vector>

namespace schemagate::script {
namespace {

constexpr std::string_view kDirectivePrefix = "schemagate:";
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// By hand: find_first_not_of calls memchr once per character it passes,
// for every line of every header of the history.
std::string_view trim_view(std::string_view text) {
  size_t begin = 0;
  while (begin < text.size() && is_blank(text[begin])) ++begin;
  size_t end = text.size();
  while (end > begin && is_blank(text[end - 1])) --end;
  return text.substr(begin, end - begin);
}

std::vector<std::string> split_list(std::string_view value) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = value.find(',', start);
    if (comma == std::string_view::npos) comma = value.size();
    std::string_view item = trim_view(value.substr(start, comma - start));
    if (!item.empty()) items.emplace_back(item);
    start = comma + 1;
  }
  return items;
}

bool is_label(const std::string& text) {
  if (text.empty() || !(std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_')) {
    return false;
  }
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  });
}

/// A `-- schemagate:key value` line, split; views into the line.
struct Directive {
  std::string_view key;
  std::string_view value;
};

/// Recognizes a directive line; anything else (SQL, ordinary comments) is not one.
bool parse_directive(std::string_view line, Directive& out) {
  std::string_view text = trim_view(line);
  if (text.substr(0, 2) != "--") return false;
  std::string_view rest = text.substr(2);
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
  if (rest.substr(0, kDirectivePrefix.size()) != kDirectivePrefix) return false;
  rest.remove_prefix(kDirectivePrefix.size());
  size_t space = 0;
  while (space < rest.size() && rest[space] != ' ' && rest[space] != '\t') ++space;
  out.key = rest.substr(0, space);
  out.value = trim_view(rest.substr(space));
  return true;
}

/// The header directives, numbered so that a repeated one is told from a
/// first one by a bit rather than a set of strings per file.
constexpr std::string_view kHeaderKeys[] = {"revision",      "parents",       "message",
                                            "branch-labels", "transactional", "phase",
                                            "wrapped-transaction", "repeatable", "lint-ignore"};

int header_key_index(std::string_view key) {
  for (size_t i = 0; i < std::size(kHeaderKeys); ++i) {
    if (kHeaderKeys[i] == key) return static_cast<int>(i);
  }
  return -1;
}

std::string quoted_directive(std::string_view key) {
  return "'-- schemagate:" + std::string(key) + "'";
}

/// How much of a file the parser reads.
enum class Scope {
  kWholeFile,  ///< header and bodies
  kHeader,     ///< up to the `-- schemagate:up` marker, which ends the header
};

class Parser {
 public:
  /// Fills `out`, which starts empty (but for its path, which may be `path`).
  Parser(const std::string& path, std::string_view text, Scope scope, bool whole_text,
         Migration& out)
      : path_(path), text_(text), scope_(scope), whole_text_(whole_text), migration_(out) {}

  /// Whether `out` holds the migration: false only for a header that `text`
  /// does not hold in full (it ends before the up marker and more follows).
  Result<bool> run() {
    if (&migration_.path != &path_) migration_.path = path_;
    // Editors on Windows may open a UTF-8 file with a byte order mark; it is
    // not part of the text.
    if (text_.substr(0, kUtf8Bom.size()) == kUtf8Bom) text_.remove_prefix(kUtf8Bom.size());
    // The whole file is refused for a NUL byte before anything else; a
    // header alone is checked line by line, as far as it goes.
    if (scope_ == Scope::kWholeFile) {
      size_t nul = text_.find('\0');
      if (nul != std::string_view::npos) return nul_byte(line_at(nul));
    }
    int line_number = 0;
    size_t start = 0;
    while (start < text_.size() && !header_done()) {
      size_t end = text_.find('\n', start);
      if (end == std::string_view::npos && !whole_text_) break;  // a line not read in full
      std::string_view line =
          text_.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
      ++line_number;
      if (scope_ == Scope::kHeader && line.find('\0') != std::string_view::npos) {
        return nul_byte(line_number);
      }
      Status status = consume(line, line_number);
      if (!status) return status.error();
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
    if (scope_ == Scope::kHeader && !seen_up_ && !whole_text_) return false;
    Status finished = finish(line_number);
    if (!finished) return finished.error();
    return true;
  }

 private:
  enum class Section { kHeader, kUp, kDown };

  bool header_done() const { return scope_ == Scope::kHeader && seen_up_; }

  int line_at(size_t offset) const {
    return 1 + static_cast<int>(std::count(text_.begin(), text_.begin() + offset, '\n'));
  }

  Error fail(int line, const std::string& message) const {
    return Error(ErrorCode::kInvalid, path_ + ":" + std::to_string(line) + ": " + message);
  }

  Error nul_byte(int line) const {
    return fail(line, "a NUL byte; PostgreSQL cannot receive one and it would cut the SQL short "
                      "there. Remove it (a file full of them is UTF-16: save it as UTF-8)");
  }

  Status consume(std::string_view line, int number) {
    Directive directive;
    if (!parse_directive(line, directive)) {
      if (section_ == Section::kHeader) {
        std::string_view text = trim_view(line);
        if (!text.empty() && text.substr(0, 2) != "--") {
          return fail(number, "SQL before the '-- schemagate:up' marker; put statements in the up "
                              "or down section");
        }
        return {};
      }
      append_body_line(line);
      return {};
    }
    if (directive.key == "up") return enter(Section::kUp, number);
    if (directive.key == "down") return enter(Section::kDown, number);
    if (section_ != Section::kHeader) {
      return fail(number, "header directive " + quoted_directive(directive.key) +
                              " inside a body; move it above '-- schemagate:up'");
    }
    return header(directive, number);
  }

  Status enter(Section section, int number) {
    if (section == Section::kUp && section_ != Section::kHeader) {
      return fail(number, "a second '-- schemagate:up' marker; a file holds one up section");
    }
    if (section == Section::kDown && section_ != Section::kUp) {
      return fail(number, section_ == Section::kDown
                              ? "a second '-- schemagate:down' marker; a file holds one down section"
                              : "'-- schemagate:down' before '-- schemagate:up'; the up section "
                                "comes first");
    }
    section_ = section;
    if (section == Section::kUp) {
      seen_up_ = true;
      migration_.up.first_line = number + 1;
    } else {
      migration_.down = Body{"", number + 1};
      down_line_ = number;
    }
    return {};
  }

  void append_body_line(std::string_view line) {
    Body& body = section_ == Section::kUp ? migration_.up : *migration_.down;
    body.sql.append(line);
    body.sql.push_back('\n');
  }

  Status header(const Directive& directive, int number) {
    int key = header_key_index(directive.key);
    if (key >= 0 && directive.key != "branch-labels" && directive.key != "lint-ignore") {
      unsigned bit = 1u << key;
      if (seen_keys_ & bit) {
        return fail(number, quoted_directive(directive.key) + " appears twice; keep one");
      }
      seen_keys_ |= bit;
    }
    const std::string value(directive.value);
    if (directive.key == "revision") {
      if (!is_revision_id(value)) {
        return fail(number, "revision id '" + value +
                                "' is not 1 to 32 letters, digits and '_' (e.g. 3f2a9c1b7d4e, "
                                "0001_initial), or is a target keyword");
      }
      migration_.revision.id = value;
      migration_.lines.revision = number;
      revision_line_ = number;
    } else if (directive.key == "parents") {
      migration_.lines.parents = number;
      for (std::string& parent : split_list(value)) {
        if (!is_revision_id(parent)) {
          return fail(number, "parent '" + parent +
                                  "' is not a revision id (1 to 32 letters, digits and '_')");
        }
        migration_.revision.parents.push_back(std::move(parent));
      }
    } else if (directive.key == "message") {
      migration_.revision.message = value;
    } else if (directive.key == "branch-labels") {
      migration_.lines.branch_labels = number;
      for (std::string& label : split_list(value)) {
        if (!is_label(label)) {
          return fail(number, "branch label '" + label +
                                  "' must start with a letter and hold only letters, digits, "
                                  "'_', '-' and '.'");
        }
        migration_.revision.branch_labels.push_back(std::move(label));
      }
    } else if (directive.key == "transactional") {
      if (value != "true" && value != "false") {
        return fail(number, "'-- schemagate:transactional' must be 'true' or 'false', not '" +
                                value + "'");
      }
      migration_.transactional = value == "true";
      transactional_line_ = number;
    } else if (directive.key == "phase") {
      if (value != "expand" && value != "contract") {
        return fail(number, "'-- schemagate:phase' must be 'expand' or 'contract', not '" + value +
                                "' (expand runs before a rollout, contract after it)");
      }
      migration_.revision.phase = value == "contract" ? Phase::kContract : Phase::kExpand;
    } else if (directive.key == "wrapped-transaction") {
      if (value != "true" && value != "false") {
        return fail(number, "'-- schemagate:wrapped-transaction' must be 'true' or 'false', not '" +
                                value + "'");
      }
      migration_.wrapped_transaction = value == "true";
      wrapped_line_ = number;
    } else if (directive.key == "repeatable") {
      if (value != "true" && value != "false") {
        return fail(number, "'-- schemagate:repeatable' must be 'true' or 'false', not '" + value +
                                "'");
      }
      migration_.repeatable = value == "true";
    } else if (directive.key == "lint-ignore") {
      size_t space = value.find_first_of(" \t");
      std::string reason = space == std::string::npos
                               ? std::string()
                               : std::string(trim_view(std::string_view(value).substr(space)));
      if (reason.empty()) {
        return fail(number, "'-- schemagate:lint-ignore' needs a rule id and the reason it is "
                            "safe here: '-- schemagate:lint-ignore RULE reason'");
      }
      migration_.lint_ignores.push_back({value.substr(0, space), reason, number});
    } else {
      return fail(number, "unknown directive " + quoted_directive(directive.key) +
                              "; known: revision, parents, message, branch-labels, "
                              "transactional, wrapped-transaction, repeatable, phase, "
                              "lint-ignore, up, down");
    }
    return {};
  }

  Status finish(int last_line) {
    if (migration_.revision.id.empty()) {
      return fail(1, "no '-- schemagate:revision <id>' header line; every migration names its "
                     "revision");
    }
    if (!seen_up_) {
      return fail(last_line, "no '-- schemagate:up' section; add the marker line before the "
                             "upgrade SQL (an empty section is a no-op)");
    }
    if (migration_.wrapped_transaction && !migration_.transactional) {
      return fail(wrapped_line_, "'-- schemagate:wrapped-transaction true' needs a transactional "
                                 "migration: the body's BEGIN/COMMIT are replaced by schemagate's "
                                 "own transaction; drop one of the two directives");
    }
    // A header alone cannot tell whether a repeatable revision has a down
    // section: repeatables are always read whole (script_directory.cpp).
    if (migration_.repeatable && scope_ == Scope::kWholeFile) {
      Status repeatable = check_repeatable();
      if (!repeatable) return repeatable.error();
    }
    const std::vector<std::string>& parents = migration_.revision.parents;
    for (size_t i = 0; i < parents.size(); ++i) {
      if (std::find(parents.begin() + i + 1, parents.end(), parents[i]) != parents.end()) {
        return fail(revision_line_, "a parent is listed twice in '-- schemagate:parents'");
      }
    }
    if (std::find(parents.begin(), parents.end(), migration_.revision.id) != parents.end()) {
      return fail(revision_line_, "revision " + migration_.revision.id + " lists itself as parent");
    }
    return {};
  }

  /// A repeatable revision stands outside the graph and is applied again,
  /// in a transaction with its history row, whenever it changes: it can
  /// have no place in the graph, nothing to undo, and no statement that
  /// cannot run in a transaction.
  Status check_repeatable() const {
    const Revision& revision = migration_.revision;
    if (!revision.parents.empty()) {
      return fail(migration_.lines.parents,
                  "a repeatable revision has no parents: it is outside the revision graph and "
                  "runs after the heads; remove '-- schemagate:parents' or "
                  "'-- schemagate:repeatable true'");
    }
    if (!revision.branch_labels.empty()) {
      return fail(migration_.lines.branch_labels,
                  "a repeatable revision has no branch labels: it is outside the revision graph; "
                  "remove '-- schemagate:branch-labels'");
    }
    if (migration_.down) {
      return fail(down_line_, "a repeatable revision has no down section: downgrade leaves it "
                              "alone, and its SQL must be safe to run again (CREATE OR REPLACE, "
                              "GRANT); remove the down section");
    }
    if (!migration_.transactional) {
      return fail(transactional_line_,
                  "a repeatable revision runs in one transaction with its history row, so that "
                  "a failure leaves nothing half applied; remove "
                  "'-- schemagate:transactional false' (CONCURRENTLY and VACUUM belong in a "
                  "versioned revision)");
    }
    return {};
  }

  const std::string& path_;
  std::string_view text_;
  Scope scope_;
  bool whole_text_;  ///< `text_` ends where the file ends
  Migration& migration_;
  Section section_ = Section::kHeader;
  bool seen_up_ = false;
  int revision_line_ = 1;
  int wrapped_line_ = 1;
  int transactional_line_ = 1;
  int down_line_ = 1;
  unsigned seen_keys_ = 0;  ///< bits of kHeaderKeys
};

}  // namespace

Result<Migration> parse_migration(const std::string& path, std::string_view text) {
  Migration migration;
  Result<bool> parsed = Parser(path, text, Scope::kWholeFile, true, migration).run();
  if (!parsed) return parsed.error();
  return migration;
}

Result<bool> parse_migration_header(const std::string& path, std::string_view text,
                                    bool whole_file, Migration& out) {
  return Parser(path, text, Scope::kHeader, whole_file, out).run();
}

bool is_directive_line(std::string_view line) {
  Directive ignored;
  return parse_directive(line, ignored);
}

}  // namespace schemagate::script
