#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace schemagate::testing {

/// A random schema within the kinds the diff engine covers, kept as a model
/// so that it can be mutated into a second schema and rendered as the SQL a
/// developer would declare. Seeded: the same seed gives the same schemas.
struct GeneratedColumn {
  std::string name;
  std::string type;
  bool not_null = false;
  std::string default_sql;
  bool identity = false;
  bool references = false;  ///< holds a foreign key: keeps its type
  std::string comment;
};

struct GeneratedTable {
  std::string name;
  bool serial_id = false;
  std::vector<GeneratedColumn> columns;  ///< besides id
  std::vector<std::pair<std::string, std::string>> uniques;      ///< name, column
  std::vector<std::pair<std::string, std::string>> checks;       ///< name, expression
  std::vector<std::pair<std::string, std::string>> foreign_keys; ///< column, table
  std::vector<std::pair<std::string, std::string>> indexes;      ///< name, column
  std::vector<std::string> triggers;                             ///< "BEFORE INSERT", ...
  std::string comment;
};

struct GeneratedSchema {
  std::vector<std::pair<std::string, std::vector<std::string>>> enums;
  std::vector<std::pair<std::string, std::string>> domains;   ///< name, check
  std::vector<std::pair<std::string, int>> sequences;         ///< name, increment
  std::vector<std::pair<std::string, int>> functions;         ///< name, returned value
  std::vector<GeneratedTable> tables;
  std::vector<std::pair<std::string, std::string>> views;     ///< name, "table.column"
};

class SchemaGenerator {
 public:
  explicit SchemaGenerator(uint64_t seed) : random_(seed) {}

  GeneratedSchema generate();
  /// A copy with a few random changes, as one development step makes.
  GeneratedSchema mutate(const GeneratedSchema& schema);

 private:
  int pick(int below) { return static_cast<int>(random_() % static_cast<uint64_t>(below)); }
  bool chance(int percent) { return pick(100) < percent; }
  std::string fresh(const std::string& prefix) { return prefix + std::to_string(next_++); }

  std::string column_type(const GeneratedSchema& schema);
  GeneratedColumn column(const GeneratedSchema& schema);
  GeneratedTable table(GeneratedSchema& schema);
  void change(GeneratedSchema& schema);
  void change_table(GeneratedSchema& schema, GeneratedTable& table);

  std::mt19937_64 random_;
  int next_ = 0;
};

/// The schema as declared SQL, in dependency order.
std::string render_sql(const GeneratedSchema& schema);

}  // namespace schemagate::testing
