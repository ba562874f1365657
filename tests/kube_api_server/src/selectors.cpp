#include "selectors.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace schemagate::testing::kube {
namespace {

using web::json::value;

std::string trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

/// Splits on commas that are not inside parentheses ("a in (x,y),b").
std::vector<std::string> split_terms(const std::string& text) {
  std::vector<std::string> terms;
  std::string current;
  int depth = 0;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      terms.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  terms.push_back(current);
  return terms;
}

std::vector<std::string> split_values(const std::string& text) {
  std::vector<std::string> values;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    std::string value = trim(item);
    if (!value.empty()) values.push_back(value);
  }
  return values;
}

bool valid_key(const std::string& key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '/';
  });
}

/// The string at a dotted path ("metadata.name"), or nothing when absent.
bool field_at(const value& object, const std::string& path, std::string& out) {
  const value* current = &object;
  std::stringstream stream(path);
  std::string part;
  while (std::getline(stream, part, '.')) {
    if (!current->is_object() || !current->has_field(part)) return false;
    current = &current->at(part);
  }
  if (current->is_string()) {
    out = current->as_string();
  } else if (current->is_null()) {
    return false;
  } else {
    out = current->serialize();
  }
  return true;
}

}  // namespace

ApiResult<LabelSelector> LabelSelector::parse(const std::string& text) {
  LabelSelector selector;
  if (trim(text).empty()) return selector;
  for (const std::string& raw : split_terms(text)) {
    std::string term = trim(raw);
    Requirement requirement;
    size_t paren = term.find('(');
    if (!term.empty() && term[0] == '!') {
      requirement.key = trim(term.substr(1));
      requirement.op = Operator::kDoesNotExist;
    } else if (paren != std::string::npos) {
      if (term.back() != ')') return bad_request("unable to parse requirement: " + term);
      std::string head = trim(term.substr(0, paren));
      size_t space = head.find_last_of(" \t");
      if (space == std::string::npos) return bad_request("unable to parse requirement: " + term);
      std::string word = head.substr(space + 1);
      requirement.key = trim(head.substr(0, space));
      if (word == "in") {
        requirement.op = Operator::kIn;
      } else if (word == "notin") {
        requirement.op = Operator::kNotIn;
      } else {
        return bad_request("unable to parse requirement: found '" + word +
                           "', expected: in, notin, =, ==, !=, gt, lt");
      }
      requirement.values = split_values(term.substr(paren + 1, term.size() - paren - 2));
    } else if (size_t pos = term.find("!="); pos != std::string::npos) {
      requirement.key = trim(term.substr(0, pos));
      requirement.op = Operator::kNotEquals;
      requirement.values = {trim(term.substr(pos + 2))};
    } else if (size_t pos = term.find("=="); pos != std::string::npos) {
      requirement.key = trim(term.substr(0, pos));
      requirement.op = Operator::kEquals;
      requirement.values = {trim(term.substr(pos + 2))};
    } else if (size_t pos = term.find('='); pos != std::string::npos) {
      requirement.key = trim(term.substr(0, pos));
      requirement.op = Operator::kEquals;
      requirement.values = {trim(term.substr(pos + 1))};
    } else {
      requirement.key = term;
      requirement.op = Operator::kExists;
    }
    if (!valid_key(requirement.key)) {
      return bad_request("unable to parse requirement: invalid label key \"" + requirement.key +
                         "\"");
    }
    selector.requirements_.push_back(std::move(requirement));
  }
  return selector;
}

bool LabelSelector::matches(const value& object) const {
  value labels = value::object();
  if (object.has_field("metadata") && object.at("metadata").has_field("labels") &&
      object.at("metadata").at("labels").is_object()) {
    labels = object.at("metadata").at("labels");
  }
  for (const auto& requirement : requirements_) {
    bool has = labels.has_field(requirement.key) && labels.at(requirement.key).is_string();
    std::string actual = has ? labels.at(requirement.key).as_string() : "";
    auto listed = [&] {
      return std::find(requirement.values.begin(), requirement.values.end(), actual) !=
             requirement.values.end();
    };
    switch (requirement.op) {
      case Operator::kEquals:
      case Operator::kIn:
        if (!has || !listed()) return false;
        break;
      case Operator::kNotEquals:
      case Operator::kNotIn:
        if (has && listed()) return false;
        break;
      case Operator::kExists:
        if (!has) return false;
        break;
      case Operator::kDoesNotExist:
        if (has) return false;
        break;
    }
  }
  return true;
}

ApiResult<FieldSelector> FieldSelector::parse(const std::string& text,
                                              const std::vector<std::string>& supported_fields) {
  FieldSelector selector;
  if (trim(text).empty()) return selector;
  for (const std::string& raw : split_terms(text)) {
    std::string term = trim(raw);
    Requirement requirement;
    size_t pos;
    size_t width;
    if ((pos = term.find("!=")) != std::string::npos) {
      requirement.equals = false;
      width = 2;
    } else if ((pos = term.find("==")) != std::string::npos) {
      requirement.equals = true;
      width = 2;
    } else if ((pos = term.find('=')) != std::string::npos) {
      requirement.equals = true;
      width = 1;
    } else {
      return bad_request("invalid selector: '" + text + "'; can't understand '" + term + "'");
    }
    requirement.field = trim(term.substr(0, pos));
    requirement.value = trim(term.substr(pos + width));
    bool supported = requirement.field == "metadata.name" ||
                     requirement.field == "metadata.namespace" ||
                     std::find(supported_fields.begin(), supported_fields.end(),
                               requirement.field) != supported_fields.end();
    if (!supported) {
      return bad_request("field label not supported: " + requirement.field);
    }
    selector.requirements_.push_back(std::move(requirement));
  }
  return selector;
}

bool FieldSelector::matches(const value& object) const {
  for (const auto& requirement : requirements_) {
    std::string actual;
    if (!field_at(object, requirement.field, actual)) actual.clear();
    if ((actual == requirement.value) != requirement.equals) return false;
  }
  return true;
}

}  // namespace schemagate::testing::kube
