#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "schema/catalog.h"

/// Catalogs as comparable text: every object becomes one entry, named by
/// kind and qualified name ("column public.books.isbn") and described by
/// the server's own definition. Column order, OIDs, owners, privileges and
/// sequence positions are not part of it: they are not what a migration's
/// down is expected to restore.
namespace schemagate::schema {

using Entries = std::map<std::string, std::string>;

Entries entries(const Catalog& catalog);

/// SHA-256 over the entries: equal catalogs, equal fingerprints.
std::string fingerprint(const Catalog& catalog);

/// One object that differs: absent on one side, or described differently.
struct Difference {
  std::string object;
  std::optional<std::string> expected;
  std::optional<std::string> actual;
};

/// The objects whose entries differ, by name.
std::vector<Difference> compare(const Catalog& expected, const Catalog& actual);

/// "column public.books.isbn is left over (text)", "index public.x is
/// missing (CREATE INDEX ...)", "constraint ... differs: expected ..., found ...".
std::string describe(const Difference& difference);

}  // namespace schemagate::schema
