#include "crd_schema.h"

#include <set>
#include <string>

#include "json_fields.h"

namespace schemagate::testing::kube {
namespace {

using web::json::value;

const std::set<std::string> kRootFields = {"apiVersion", "kind", "metadata"};

bool flag(const value& schema, const std::string& key) {
  return schema.has_field(key) && schema.at(key).is_boolean() && schema.at(key).as_bool();
}

const value* properties(const value& schema) {
  if (!schema.is_object() || !schema.has_field("properties") ||
      !schema.at("properties").is_object()) {
    return nullptr;
  }
  return &schema.at("properties");
}

const value* additional(const value& schema) {
  if (!schema.is_object() || !schema.has_field("additionalProperties") ||
      !schema.at("additionalProperties").is_object()) {
    return nullptr;
  }
  return &schema.at("additionalProperties");
}

void prune_node(const value& schema, value& node, bool root) {
  if (!schema.is_object()) return;
  if (node.is_array() && schema.has_field("items")) {
    for (auto& item : node.as_array()) prune_node(schema.at("items"), item, false);
    return;
  }
  if (!node.is_object()) return;
  const value* props = properties(schema);
  const value* extra = additional(schema);
  bool preserve = flag(schema, "x-kubernetes-preserve-unknown-fields");
  std::vector<std::string> unknown;
  for (auto& [key, child] : node.as_object()) {
    if (root && kRootFields.count(key) > 0) continue;
    if (props != nullptr && props->has_field(key)) {
      prune_node(props->at(key), child, false);
    } else if (extra != nullptr) {
      prune_node(*extra, child, false);
    } else if (!preserve && !(schema.has_field("additionalProperties") &&
                              schema.at("additionalProperties").is_boolean())) {
      unknown.push_back(key);
    }
  }
  for (const auto& key : unknown) erase_field(node, key);
  if (props == nullptr) return;
  for (const auto& [key, child_schema] : props->as_object()) {
    if (!node.has_field(key) && child_schema.has_field("default")) {
      node[key] = child_schema.at("default");
    }
  }
}

std::string type_of(const value& node) {
  if (node.is_string()) return "string";
  if (node.is_boolean()) return "boolean";
  if (node.is_integer()) return "integer";
  if (node.is_number()) return "number";
  if (node.is_array()) return "array";
  if (node.is_object()) return "object";
  return "null";
}

bool type_matches(const std::string& expected, const value& node) {
  std::string actual = type_of(node);
  return expected.empty() || expected == actual || (expected == "number" && actual == "integer");
}

void validate_node(const value& schema, const value& node, const std::string& path, bool root,
                   std::vector<FieldCause>& causes) {
  if (!schema.is_object()) return;
  if (node.is_null() && flag(schema, "nullable")) return;
  std::string expected =
      schema.has_field("type") && schema.at("type").is_string() ? schema.at("type").as_string() : "";
  bool int_or_string = flag(schema, "x-kubernetes-int-or-string");
  if (int_or_string ? !(node.is_integer() || node.is_string()) : !type_matches(expected, node)) {
    causes.push_back({"FieldValueTypeInvalid", path,
                      "Invalid value: \"" + type_of(node) + "\": " + path +
                          " in body must be of type " + expected + ": \"" + type_of(node) + "\""});
    return;
  }
  if (schema.has_field("enum") && schema.at("enum").is_array()) {
    bool listed = false;
    std::string supported;
    for (const auto& option : schema.at("enum").as_array()) {
      listed = listed || option == node;
      supported += (supported.empty() ? "" : ", ") + option.serialize();
    }
    if (!listed) {
      causes.push_back({"FieldValueNotSupported", path,
                        "Unsupported value: " + node.serialize() + ": supported values: " +
                            supported});
    }
  }
  if (node.is_object()) {
    if (schema.has_field("required") && schema.at("required").is_array()) {
      for (const auto& name : schema.at("required").as_array()) {
        if (name.is_string() && !node.has_field(name.as_string())) {
          std::string field = (path.empty() ? "" : path + ".") + name.as_string();
          causes.push_back({"FieldValueRequired", field, "Required value"});
        }
      }
    }
    const value* props = properties(schema);
    const value* extra = additional(schema);
    for (const auto& [key, child] : node.as_object()) {
      if (root && kRootFields.count(key) > 0) continue;
      std::string child_path = (path.empty() ? "" : path + ".") + key;
      if (props != nullptr && props->has_field(key)) {
        validate_node(props->at(key), child, child_path, false, causes);
      } else if (extra != nullptr) {
        validate_node(*extra, child, child_path, false, causes);
      }
    }
  }
  if (node.is_array() && schema.has_field("items")) {
    size_t index = 0;
    for (const auto& item : node.as_array()) {
      validate_node(schema.at("items"), item, path + "[" + std::to_string(index++) + "]", false,
                    causes);
    }
  }
}

}  // namespace

void prune_and_default(const value& schema, value& object) { prune_node(schema, object, true); }

std::vector<FieldCause> validate(const value& schema, const value& object) {
  std::vector<FieldCause> causes;
  validate_node(schema, object, "", true, causes);
  return causes;
}

}  // namespace schemagate::testing::kube
