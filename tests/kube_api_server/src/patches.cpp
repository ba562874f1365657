#include "patches.h"

#include <map>
#include <string>
#include <vector>

#include "json_fields.h"

namespace schemagate::testing::kube {
namespace {

using web::json::value;

/// Merge keys of the lists kubectl's strategic merge patches touch most.
const std::map<std::string, std::string> kMergeKeys = {
    {"containers", "name"},       {"initContainers", "name"}, {"ephemeralContainers", "name"},
    {"volumes", "name"},          {"env", "name"},            {"volumeMounts", "mountPath"},
    {"imagePullSecrets", "name"}, {"ports", "containerPort"}, {"conditions", "type"},
    {"ownerReferences", "uid"},   {"hostAliases", "ip"},
};

bool is_directive(const std::string& key) { return !key.empty() && key[0] == '$'; }

bool is_delete_directive(const value& element) {
  return element.is_object() && element.has_field("$patch") && element.at("$patch").is_string() &&
         element.at("$patch").as_string() == "delete";
}

value strip_directives(const value& patch) {
  if (!patch.is_object()) return patch;
  value result = value::object();
  for (const auto& [key, child] : patch.as_object()) {
    if (!is_directive(key)) result[key] = strip_directives(child);
  }
  return result;
}

value strategic_merge_list(const value& target, const value& patch, const std::string& key) {
  std::vector<value> result(target.as_array().begin(), target.as_array().end());
  for (const auto& element : patch.as_array()) {
    if (!element.is_object() || !element.has_field(key)) {
      result.push_back(element);
      continue;
    }
    bool found = false;
    std::vector<value> next;
    for (const auto& existing : result) {
      if (existing.is_object() && existing.has_field(key) && existing.at(key) == element.at(key)) {
        found = true;
        if (!is_delete_directive(element)) next.push_back(strategic_merge_patch(existing, element));
      } else {
        next.push_back(existing);
      }
    }
    if (!found && !is_delete_directive(element)) next.push_back(strip_directives(element));
    result = std::move(next);
  }
  return value::array(result);
}

using Tokens = std::vector<std::string>;

ApiResult<Tokens> parse_pointer(const std::string& path) {
  Tokens tokens;
  if (path.empty()) return tokens;
  if (path[0] != '/') return unprocessable("invalid JSON pointer \"" + path + "\"");
  size_t start = 1;
  while (true) {
    size_t slash = path.find('/', start);
    std::string token =
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    std::string decoded;
    for (size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '~' && i + 1 < token.size()) {
        decoded += token[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        decoded += token[i];
      }
    }
    tokens.push_back(decoded);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return tokens;
}

/// The array index a token names, if it is a number no greater than `limit`.
bool array_index(const std::string& token, size_t limit, size_t& index) {
  if (token.empty() || token.size() > 9 || token.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  index = std::stoul(token);
  return index <= limit;
}

const value* find(const value& document, const Tokens& tokens) {
  const value* current = &document;
  for (const auto& token : tokens) {
    size_t index;
    if (current->is_object() && current->has_field(token)) {
      current = &current->at(token);
    } else if (current->is_array() && current->size() > 0 &&
               array_index(token, current->size() - 1, index)) {
      current = &current->at(index);
    } else {
      return nullptr;
    }
  }
  return current;
}

/// The container that holds the pointer's last token.
value* parent_of(value& document, const Tokens& tokens) {
  if (tokens.empty()) return nullptr;
  Tokens parent_tokens(tokens.begin(), tokens.end() - 1);
  return const_cast<value*>(find(document, parent_tokens));
}

bool add_at(value& document, const Tokens& tokens, const value& item) {
  if (tokens.empty()) {
    document = item;
    return true;
  }
  value* parent = parent_of(document, tokens);
  if (parent == nullptr) return false;
  const std::string& last = tokens.back();
  if (parent->is_object()) {
    (*parent)[last] = item;
    return true;
  }
  if (!parent->is_array()) return false;
  std::vector<value> items(parent->as_array().begin(), parent->as_array().end());
  size_t index = items.size();
  if (last != "-" && !array_index(last, items.size(), index)) return false;
  items.insert(items.begin() + static_cast<std::ptrdiff_t>(index), item);
  *parent = value::array(items);
  return true;
}

bool remove_at(value& document, const Tokens& tokens) {
  value* parent = parent_of(document, tokens);
  if (parent == nullptr) return false;
  const std::string& last = tokens.back();
  if (parent->is_object()) {
    if (!parent->has_field(last)) return false;
    erase_field(*parent, last);
    return true;
  }
  size_t index;
  if (!parent->is_array() || parent->size() == 0 ||
      !array_index(last, parent->size() - 1, index)) {
    return false;
  }
  std::vector<value> items(parent->as_array().begin(), parent->as_array().end());
  items.erase(items.begin() + static_cast<std::ptrdiff_t>(index));
  *parent = value::array(items);
  return true;
}

std::string string_field(const value& operation, const std::string& key) {
  if (!operation.has_field(key) || !operation.at(key).is_string()) return "";
  return operation.at(key).as_string();
}

}  // namespace

value merge_patch(const value& target, const value& patch) {
  if (!patch.is_object()) return patch;
  value result = target.is_object() ? target : value::object();
  for (const auto& [key, child] : patch.as_object()) {
    if (child.is_null()) {
      erase_field(result, key);
    } else {
      result[key] = merge_patch(result.has_field(key) ? result.at(key) : value::null(), child);
    }
  }
  return result;
}

value strategic_merge_patch(const value& target, const value& patch) {
  if (!patch.is_object()) return patch;
  value result = target.is_object() ? target : value::object();
  for (const auto& [key, child] : patch.as_object()) {
    if (is_directive(key)) continue;
    auto merge_key = kMergeKeys.find(key);
    if (child.is_null()) {
      erase_field(result, key);
    } else if (child.is_array() && merge_key != kMergeKeys.end() && result.has_field(key) &&
               result.at(key).is_array()) {
      result[key] = strategic_merge_list(result.at(key), child, merge_key->second);
    } else if (child.is_object()) {
      result[key] =
          strategic_merge_patch(result.has_field(key) ? result.at(key) : value::null(), child);
    } else if (child.is_array()) {
      std::vector<value> items;
      for (const auto& element : child.as_array()) {
        if (!is_delete_directive(element)) items.push_back(strip_directives(element));
      }
      result[key] = value::array(items);
    } else {
      result[key] = child;
    }
  }
  return result;
}

ApiResult<value> json_patch(const value& target, const value& operations) {
  if (!operations.is_array()) return unprocessable("a JSON patch must be an array of operations");
  value document = target;
  for (const auto& operation : operations.as_array()) {
    const std::string op = string_field(operation, "op");
    const std::string path = string_field(operation, "path");
    ApiResult<Tokens> tokens = parse_pointer(path);
    if (!tokens.ok()) return tokens.error();
    const value item = operation.has_field("value") ? operation.at("value") : value::null();
    bool done = false;
    if (op == "add") {
      done = add_at(document, tokens.value(), item);
    } else if (op == "remove") {
      done = remove_at(document, tokens.value());
    } else if (op == "replace") {
      done = remove_at(document, tokens.value()) && add_at(document, tokens.value(), item);
    } else if (op == "test") {
      const value* found = find(document, tokens.value());
      if (found == nullptr || *found != item) {
        return unprocessable("the server rejected our request due to an error in our request: "
                             "testing value " + path + " failed");
      }
      done = true;
    } else if (op == "move" || op == "copy") {
      ApiResult<Tokens> from = parse_pointer(string_field(operation, "from"));
      if (!from.ok()) return from.error();
      const value* found = find(document, from.value());
      if (found != nullptr) {
        value moved = *found;
        done = (op == "copy" || remove_at(document, from.value())) &&
               add_at(document, tokens.value(), moved);
      }
    } else {
      return unprocessable("Unexpected kind: " + op);
    }
    if (!done) {
      return unprocessable("the server rejected our request due to an error in our request: " +
                           op + " operation does not apply: doc is missing path: \"" + path +
                           "\"");
    }
  }
  return document;
}

}  // namespace schemagate::testing::kube
