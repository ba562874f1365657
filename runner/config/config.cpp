#include "config/config.h"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <functional>
#include <map>

#include "schemagate/common/files.h"

namespace schemagate::config {
namespace {

// PostgreSQL's NAMEDATALEN - 1.
constexpr size_t kMaxIdentifierBytes = 63;
constexpr size_t kLeaseSuffixBytes = 6;  // "_lease", the version table's lease

class Loader {
 public:
  explicit Loader(std::filesystem::path path) : path_(std::move(path)) {}

  Result<Config> run(const std::string& text) {
    // yaml-cpp reports what it cannot read by exceptions, also while walking a
    // document it accepted (a key that is itself a list); none may escape.
    try {
      YAML::Node root = YAML::Load(text);
      if (root.IsNull()) return config_;
      if (!root.IsMap()) return fail(root.Mark(), "the top level must be a mapping of settings");
      Status status = walk(root, "");
      if (!status) return status.error();
    } catch (const YAML::Exception& e) {
      return fail(e.mark, std::string("not valid YAML: ") + e.msg);
    }
    if (config_.directory.is_relative()) {
      config_.directory = path_.parent_path() / config_.directory;
    }
    if (!config_.schema.empty() && config_.schema.is_relative()) {
      config_.schema = path_.parent_path() / config_.schema;
    }
    return config_;
  }

 private:
  using Setter = std::function<Status(const YAML::Node&, const std::string&)>;

  Error fail(const YAML::Mark& mark, const std::string& message) const {
    std::string where = path_.string();
    if (mark.line >= 0) where += ":" + std::to_string(mark.line + 1);
    return Error(ErrorCode::kInvalid, where + ": " + message);
  }

  template <typename T>
  Setter scalar(T& field) {
    return [this, &field](const YAML::Node& node, const std::string& key) -> Status {
      try {
        if (!node.IsScalar()) throw YAML::BadConversion(node.Mark());
        field = node.as<T>();
      } catch (const YAML::BadConversion&) {
        return fail(node.Mark(), "'" + key + "' has the wrong type");
      }
      return {};
    };
  }

  /// A name that becomes a PostgreSQL identifier, at most `max_bytes` long:
  /// the server would silently cut a longer one, and two settings could then
  /// name one table.
  Setter identifier(std::string& field, size_t max_bytes = kMaxIdentifierBytes) {
    return [this, &field, max_bytes](const YAML::Node& node, const std::string& key) -> Status {
      Status status = scalar(field)(node, key);
      if (status && field.empty()) return fail(node.Mark(), "'" + key + "' must not be empty");
      if (status && field.size() > max_bytes) {
        return fail(node.Mark(), "'" + key + "' is " + std::to_string(field.size()) +
                                     " bytes long; PostgreSQL names hold at most " +
                                     std::to_string(max_bytes) +
                                     (max_bytes < kMaxIdentifierBytes
                                          ? " here (the lease table adds '_lease')"
                                          : "") +
                                     ": choose a shorter name");
      }
      if (status && field.find('\0') != std::string::npos) {
        return fail(node.Mark(), "'" + key + "' holds a NUL character; remove it");
      }
      return status;
    };
  }

  /// Seconds: finite and not negative.
  Setter seconds(double& field) {
    return [this, &field](const YAML::Node& node, const std::string& key) -> Status {
      Status status = scalar(field)(node, key);
      if (status && !(std::isfinite(field) && field >= 0)) {
        return fail(node.Mark(), "'" + key + "' must be a number of seconds, 0 or more");
      }
      return status;
    };
  }

  const std::map<std::string, Setter>& setters() {
    if (setters_.empty()) {
      setters_ = {
          {"directory", [this](const YAML::Node& node, const std::string& key) -> Status {
             std::string text;
             Status status = identifier(text)(node, key);
             config_.directory = text;
             return status;
           }},
          {"version_table.schema", identifier(config_.version_schema)},
          {"version_table.name",
           identifier(config_.version_table, kMaxIdentifierBytes - kLeaseSuffixBytes)},
          {"history_table", identifier(config_.history_table)},
          {"lock.mode", [this](const YAML::Node& node, const std::string& key) -> Status {
             Status status = scalar(config_.lock_mode)(node, key);
             if (status && config_.lock_mode != "advisory" && config_.lock_mode != "table") {
               return fail(node.Mark(), "'lock.mode' must be 'advisory' or 'table'");
             }
             return status;
           }},
          {"lock.key", [this](const YAML::Node& node, const std::string& key) -> Status {
             int64_t value = 0;
             Status status = scalar(value)(node, key);
             if (status) config_.lock_key = value;
             return status;
           }},
          {"lock.timeout", seconds(config_.lock_timeout_seconds)},
          {"statement.lock_timeout", seconds(config_.statement_lock_timeout_seconds)},
          {"statement.lock_retries", [this](const YAML::Node& node, const std::string& key) {
             Status status = scalar(config_.lock_retries)(node, key);
             if (status && config_.lock_retries < 0) {
               return Status(fail(node.Mark(), "'" + key + "' must be 0 or more"));
             }
             return status;
           }},
          {"wait_for_db", seconds(config_.wait_for_db_seconds)},
          {"dev_url", scalar(config_.dev_url)},
          {"schema", [this](const YAML::Node& node, const std::string& key) -> Status {
             std::string text;
             Status status = scalar(text)(node, key);
             config_.schema = text;
             return status;
           }},
          {"schema_command", scalar(config_.schema_command)},
          {"engine", [this](const YAML::Node& node, const std::string& key) -> Status {
             Status status = scalar(config_.engine)(node, key);
             if (status && config_.engine != "postgresql" && config_.engine != "sqlite") {
               return fail(node.Mark(), "'engine' must be 'postgresql' or 'sqlite'");
             }
             return status;
           }},
      };
    }
    return setters_;
  }

  Status walk(const YAML::Node& map, const std::string& prefix) {
    std::map<std::string, int> lines;  // key -> line of its first appearance
    for (const auto& entry : map) {
      if (!entry.first.IsScalar()) return fail(entry.first.Mark(), "a key must be a plain word");
      std::string key = prefix + entry.first.as<std::string>();
      auto [first, inserted] = lines.emplace(key, entry.first.Mark().line + 1);
      if (!inserted) {
        return fail(entry.first.Mark(), "'" + key + "' is set twice (first on line " +
                                            std::to_string(first->second) + "); keep one");
      }
      const YAML::Node& value = entry.second;
      if (key == "lint.rules") {
        Status status = lint_rules(value);
        if (!status) return status;
        continue;
      }
      auto setter = setters().find(key);
      if (setter != setters().end()) {
        Status status = setter->second(value, key);
        if (!status) return status;
        continue;
      }
      bool is_section = key == "lint";
      for (const auto& known : setters()) {
        if (known.first.rfind(key + ".", 0) == 0) is_section = true;
      }
      if (is_section && value.IsMap()) {
        Status status = walk(value, key + ".");
        if (!status) return status;
        continue;
      }
      // `version_table: alembic_version` is short for `{name: alembic_version}`.
      auto named = setters().find(key + ".name");
      if (named != setters().end() && value.IsScalar()) {
        Status status = named->second(value, key + ".name");
        if (!status) return status;
        continue;
      }
      return fail(entry.first.Mark(), "unknown setting '" + key +
                                          "'; see the README section \"schemagate.yaml\"");
    }
    return {};
  }

  /// `lint.rules`: rule ids are the linter's to check, levels are ours.
  Status lint_rules(const YAML::Node& rules) {
    if (!rules.IsMap()) {
      return fail(rules.Mark(), "'lint.rules' must map rule ids to off, warning or error");
    }
    for (const auto& entry : rules) {
      if (!entry.first.IsScalar()) {
        return fail(entry.first.Mark(), "a rule id must be a plain word");
      }
      std::string rule = entry.first.as<std::string>();
      std::string level = entry.second.IsScalar() ? entry.second.as<std::string>() : "";
      if (level != "off" && level != "warning" && level != "error") {
        return fail(entry.second.Mark(),
                    "'lint.rules." + rule + "' must be off, warning or error");
      }
      std::string where = path_.string() + ":" + std::to_string(entry.first.Mark().line + 1);
      if (!config_.lint_rules.emplace(rule, LintRuleSetting{level, where}).second) {
        return fail(entry.first.Mark(), "'lint.rules." + rule + "' is set twice; keep one");
      }
    }
    return {};
  }

  std::filesystem::path path_;
  Config config_;
  std::map<std::string, Setter> setters_;
};

}  // namespace

Result<Config> load(const std::filesystem::path& path) {
  Result<std::string> text = files::read_file(path);
  if (!text) return text.error().with_context("--config");
  return parse(*text, path);
}

Result<Config> parse(const std::string& text, const std::filesystem::path& path) {
  return Loader(path).run(text);
}

std::string default_file_text(const std::string& directory) {
  return "# schemagate settings; the database URL comes from --database-url,\n"
         "# $DATABASE_URL or --database-url-file, never from this file.\n"
         "directory: " + directory + "\n"
         "version_table:\n"
         "  schema: public\n"
         "  name: schemagate_version\n"
         "history_table: schemagate_history\n"
         "lock:\n"
         "  mode: advisory      # 'table' behind PgBouncer in transaction pooling\n"
         "  timeout: 300        # seconds a runner waits for the migration lock\n"
         "statement:\n"
         "  lock_timeout: 5     # seconds a migration statement waits for a table lock\n"
         "  lock_retries: 3\n";
}

}  // namespace schemagate::config
