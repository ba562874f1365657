#include "lint/parse_node.h"

#include <cstdlib>

namespace schemagate::lint::node {

std::string text(const JsonValue& node, const std::string& key) {
  const JsonValue* member = node.find(key);
  const std::string* value = member != nullptr ? member->string() : nullptr;
  return value != nullptr ? *value : std::string();
}

bool flag(const JsonValue& node, const std::string& key) {
  const JsonValue* member = node.find(key);
  return member != nullptr && member->is_true();
}

const JsonValue::Array& list(const JsonValue& node, const std::string& key) {
  static const JsonValue::Array kEmpty;
  const JsonValue* member = node.find(key);
  const JsonValue::Array* items = member != nullptr ? member->array() : nullptr;
  return items != nullptr ? *items : kEmpty;
}

std::pair<std::string, const JsonValue*> unwrap(const JsonValue& wrapped) {
  const JsonValue::Object* members = wrapped.object();
  if (members == nullptr || members->size() != 1) return {"", nullptr};
  return {members->front().first, &members->front().second};
}

const JsonValue* as(const JsonValue& wrapped, const std::string& type) {
  auto [name, fields] = unwrap(wrapped);
  return name == type ? fields : nullptr;
}

int location(const JsonValue& node) {
  const JsonValue* member = node.find("location");
  const std::string* value = member != nullptr ? member->number() : nullptr;
  return value != nullptr ? std::atoi(value->c_str()) : -1;
}

RelationName relation(const JsonValue& range_var) {
  return {text(range_var, "schemaname"), text(range_var, "relname")};
}

namespace {

std::vector<std::string> strings(const JsonValue::Array& names) {
  std::vector<std::string> out;
  for (const JsonValue& name : names) {
    if (const JsonValue* value = as(name, "String")) out.push_back(text(*value, "sval"));
  }
  return out;
}

}  // namespace

RelationName dotted_name(const JsonValue::Array& names) {
  std::vector<std::string> parts = strings(names);
  if (parts.empty()) return {};
  if (parts.size() == 1) return {"", parts[0]};
  return {parts[parts.size() - 2], parts.back()};
}

std::string type_name(const JsonValue& type_name) {
  std::vector<std::string> parts = strings(list(type_name, "names"));
  return parts.empty() ? std::string() : parts.back();
}

bool has_type_modifiers(const JsonValue& type_name) { return !list(type_name, "typmods").empty(); }

long first_type_modifier(const JsonValue& type_name) {
  const JsonValue::Array& modifiers = list(type_name, "typmods");
  if (modifiers.empty()) return -1;
  const JsonValue* constant = as(modifiers.front(), "A_Const");
  const JsonValue* ival = constant != nullptr ? constant->find("ival") : nullptr;
  if (ival == nullptr) return -1;
  const JsonValue* value = ival->find("ival");
  const std::string* digits = value != nullptr ? value->number() : nullptr;
  return digits != nullptr ? std::atol(digits->c_str()) : 0;  // libpg_query omits a zero
}

std::vector<const JsonValue*> column_constraints(const JsonValue& column_def) {
  std::vector<const JsonValue*> out;
  for (const JsonValue& constraint : list(column_def, "constraints")) {
    if (const JsonValue* fields = as(constraint, "Constraint")) out.push_back(fields);
  }
  return out;
}

}  // namespace schemagate::lint::node
