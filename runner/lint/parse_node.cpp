#include "lint/parse_node.h"

namespace schemagate::lint::node {

const ParseTree* member(const ParseTree& node, const std::string& key) {
  if (!node.is_object()) return nullptr;
  auto found = node.find(key);
  return found != node.end() ? &*found : nullptr;
}

std::string text(const ParseTree& node, const std::string& key) {
  return sql::string_member(node, key.c_str());
}

bool flag(const ParseTree& node, const std::string& key) {
  return sql::flag_member(node, key.c_str());
}

const ParseTree& list(const ParseTree& node, const std::string& key) {
  static const ParseTree kEmpty = ParseTree::array();
  const ParseTree* items = member(node, key);
  return items != nullptr && items->is_array() ? *items : kEmpty;
}

std::pair<std::string, const ParseTree*> unwrap(const ParseTree& wrapped) {
  if (!wrapped.is_object() || wrapped.size() != 1) return {"", nullptr};
  return {wrapped.begin().key(), &wrapped.begin().value()};
}

const ParseTree* as(const ParseTree& wrapped, const std::string& type) {
  auto [name, fields] = unwrap(wrapped);
  return name == type ? fields : nullptr;
}

long integer(const ParseTree& node, const std::string& key, long absent) {
  const ParseTree* value = member(node, key);
  if (value == nullptr || !value->is_number_integer()) return absent;
  return value->get<long>();
}

int location(const ParseTree& node) { return static_cast<int>(integer(node, "location", -1)); }

RelationName relation(const ParseTree& range_var) {
  return {text(range_var, "schemaname"), text(range_var, "relname")};
}

namespace {

std::vector<std::string> strings(const ParseTree& names) {
  std::vector<std::string> out;
  if (!names.is_array()) return out;
  for (const ParseTree& name : names) {
    if (const ParseTree* value = as(name, "String")) out.push_back(text(*value, "sval"));
  }
  return out;
}

}  // namespace

RelationName dotted_name(const ParseTree& names) {
  std::vector<std::string> parts = strings(names);
  if (parts.empty()) return {};
  if (parts.size() == 1) return {"", parts[0]};
  return {parts[parts.size() - 2], parts.back()};
}

std::string type_name(const ParseTree& type_name) {
  std::vector<std::string> parts = strings(list(type_name, "names"));
  return parts.empty() ? std::string() : parts.back();
}

bool has_type_modifiers(const ParseTree& type_name) { return !list(type_name, "typmods").empty(); }

long first_type_modifier(const ParseTree& type_name) {
  const ParseTree& modifiers = list(type_name, "typmods");
  if (modifiers.empty()) return -1;
  const ParseTree* constant = as(modifiers.front(), "A_Const");
  const ParseTree* ival = constant != nullptr ? member(*constant, "ival") : nullptr;
  if (ival == nullptr) return -1;
  return integer(*ival, "ival", 0);  // libpg_query omits a zero
}

std::vector<const ParseTree*> column_constraints(const ParseTree& column_def) {
  std::vector<const ParseTree*> out;
  for (const ParseTree& constraint : list(column_def, "constraints")) {
    if (const ParseTree* fields = as(constraint, "Constraint")) out.push_back(fields);
  }
  return out;
}

}  // namespace schemagate::lint::node
