#include "script/migration_parser.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

namespace schemagate::script {
namespace {

constexpr std::string_view kDirectivePrefix = "schemagate:";
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t\r");
  return std::string(text.substr(begin, end - begin + 1));
}

std::vector<std::string> split_list(const std::string& value) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= value.size()) {
    size_t comma = value.find(',', start);
    if (comma == std::string::npos) comma = value.size();
    std::string item = trim(std::string_view(value).substr(start, comma - start));
    if (!item.empty()) items.push_back(item);
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

/// A `-- schemagate:key value` line, split.
struct Directive {
  std::string key;
  std::string value;
};

/// Recognizes a directive line; anything else (SQL, ordinary comments) is not one.
bool parse_directive(std::string_view line, Directive& out) {
  std::string text = trim(line);
  if (text.rfind("--", 0) != 0) return false;
  std::string_view rest = std::string_view(text).substr(2);
  while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
  if (rest.substr(0, kDirectivePrefix.size()) != kDirectivePrefix) return false;
  rest.remove_prefix(kDirectivePrefix.size());
  size_t space = rest.find_first_of(" \t");
  out.key = std::string(rest.substr(0, space));
  out.value = space == std::string_view::npos ? std::string() : trim(rest.substr(space));
  return true;
}

class Parser {
 public:
  Parser(const std::string& path, std::string_view text) : path_(path), text_(text) {}

  Result<Migration> run() {
    migration_.path = path_;
    // Editors on Windows may open a UTF-8 file with a byte order mark; it is
    // not part of the text.
    if (text_.substr(0, kUtf8Bom.size()) == kUtf8Bom) text_.remove_prefix(kUtf8Bom.size());
    size_t nul = text_.find('\0');
    if (nul != std::string_view::npos) {
      return fail(line_at(nul),
                  "a NUL byte; PostgreSQL cannot receive one and it would cut the SQL short "
                  "there. Remove it (a file full of them is UTF-16: save it as UTF-8)");
    }
    int line_number = 0;
    size_t start = 0;
    while (start < text_.size()) {
      size_t end = text_.find('\n', start);
      std::string_view line =
          text_.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
      ++line_number;
      Status status = consume(line, line_number);
      if (!status) return status.error();
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
    return finish(line_number);
  }

 private:
  enum class Section { kHeader, kUp, kDown };

  int line_at(size_t offset) const {
    return 1 + static_cast<int>(std::count(text_.begin(), text_.begin() + offset, '\n'));
  }

  Error fail(int line, const std::string& message) const {
    return Error(ErrorCode::kInvalid, path_ + ":" + std::to_string(line) + ": " + message);
  }

  Status consume(std::string_view line, int number) {
    Directive directive;
    if (!parse_directive(line, directive)) {
      if (section_ == Section::kHeader) {
        std::string text = trim(line);
        if (!text.empty() && text.rfind("--", 0) != 0) {
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
      return fail(number, "header directive '-- schemagate:" + directive.key +
                              "' inside a body; move it above '-- schemagate:up'");
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
    if (!seen_keys_.insert(directive.key).second && directive.key != "branch-labels" &&
        directive.key != "lint-ignore") {
      return fail(number, "'-- schemagate:" + directive.key + "' appears twice; keep one");
    }
    if (directive.key == "revision") {
      if (!is_revision_id(directive.value)) {
        return fail(number, "revision id '" + directive.value +
                                "' is not 1 to 32 letters, digits and '_' (e.g. 3f2a9c1b7d4e, "
                                "0001_initial), or is a target keyword");
      }
      migration_.revision.id = directive.value;
      migration_.lines.revision = number;
      revision_line_ = number;
    } else if (directive.key == "parents") {
      migration_.lines.parents = number;
      for (const std::string& parent : split_list(directive.value)) {
        if (!is_revision_id(parent)) {
          return fail(number, "parent '" + parent +
                                  "' is not a revision id (1 to 32 letters, digits and '_')");
        }
        migration_.revision.parents.push_back(parent);
      }
    } else if (directive.key == "message") {
      migration_.revision.message = directive.value;
    } else if (directive.key == "branch-labels") {
      migration_.lines.branch_labels = number;
      for (const std::string& label : split_list(directive.value)) {
        if (!is_label(label)) {
          return fail(number, "branch label '" + label +
                                  "' must start with a letter and hold only letters, digits, "
                                  "'_', '-' and '.'");
        }
        migration_.revision.branch_labels.push_back(label);
      }
    } else if (directive.key == "transactional") {
      if (directive.value != "true" && directive.value != "false") {
        return fail(number, "'-- schemagate:transactional' must be 'true' or 'false', not '" +
                                directive.value + "'");
      }
      migration_.transactional = directive.value == "true";
      transactional_line_ = number;
    } else if (directive.key == "phase") {
      if (directive.value != "expand" && directive.value != "contract") {
        return fail(number, "'-- schemagate:phase' must be 'expand' or 'contract', not '" +
                                directive.value +
                                "' (expand runs before a rollout, contract after it)");
      }
      migration_.revision.phase =
          directive.value == "contract" ? Phase::kContract : Phase::kExpand;
    } else if (directive.key == "wrapped-transaction") {
      if (directive.value != "true" && directive.value != "false") {
        return fail(number, "'-- schemagate:wrapped-transaction' must be 'true' or 'false', not '" +
                                directive.value + "'");
      }
      migration_.wrapped_transaction = directive.value == "true";
      wrapped_line_ = number;
    } else if (directive.key == "repeatable") {
      if (directive.value != "true" && directive.value != "false") {
        return fail(number, "'-- schemagate:repeatable' must be 'true' or 'false', not '" +
                                directive.value + "'");
      }
      migration_.repeatable = directive.value == "true";
    } else if (directive.key == "lint-ignore") {
      size_t space = directive.value.find_first_of(" \t");
      std::string reason = space == std::string::npos ? "" : trim(directive.value.substr(space));
      if (reason.empty()) {
        return fail(number, "'-- schemagate:lint-ignore' needs a rule id and the reason it is "
                            "safe here: '-- schemagate:lint-ignore RULE reason'");
      }
      migration_.lint_ignores.push_back({directive.value.substr(0, space), reason, number});
    } else {
      return fail(number, "unknown directive '-- schemagate:" + directive.key +
                              "'; known: revision, parents, message, branch-labels, "
                              "transactional, wrapped-transaction, repeatable, phase, "
                              "lint-ignore, up, down");
    }
    return {};
  }

  Result<Migration> finish(int last_line) {
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
    if (migration_.repeatable) {
      Status repeatable = check_repeatable();
      if (!repeatable) return repeatable.error();
    }
    std::set<std::string> unique(migration_.revision.parents.begin(),
                                 migration_.revision.parents.end());
    if (unique.size() != migration_.revision.parents.size()) {
      return fail(revision_line_, "a parent is listed twice in '-- schemagate:parents'");
    }
    if (unique.count(migration_.revision.id)) {
      return fail(revision_line_, "revision " + migration_.revision.id + " lists itself as parent");
    }
    return std::move(migration_);
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
  Migration migration_;
  Section section_ = Section::kHeader;
  bool seen_up_ = false;
  int revision_line_ = 1;
  int wrapped_line_ = 1;
  int transactional_line_ = 1;
  int down_line_ = 1;
  std::set<std::string> seen_keys_;
};

}  // namespace

Result<Migration> parse_migration(const std::string& path, std::string_view text) {
  return Parser(path, text).run();
}

bool is_directive_line(std::string_view line) {
  Directive ignored;
  return parse_directive(line, ignored);
}

}  // namespace schemagate::script
