#include "schema/catalog.h"

namespace schemagate::schema {

const Column* Table::column(const std::string& wanted) const {
  for (const Column& candidate : columns) {
    if (candidate.name == wanted) return &candidate;
  }
  return nullptr;
}

std::string key(const std::string& schema, const std::string& name) { return schema + "." + name; }

}  // namespace schemagate::schema
