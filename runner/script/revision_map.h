#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "schemagate/common/result.h"
#include "script/revision.h"

namespace schemagate::script {

/// The revision graph (DESIGN §2): a DAG whose edges point from a revision to
/// its parents (down revisions). Pure: built from Revision values, no files,
/// no database, so graphs are unit tested in memory.
///
/// Revisions are addressed by a dense Index for speed; ids are for people.
class RevisionMap {
 public:
  using Index = int;
  /// Membership flags over all revisions, indexed by Index.
  using Set = std::vector<char>;

  /// Validates and indexes `revisions`. `sources[i]`, when given, names where
  /// revision i came from (its file) in error messages, and `lines[i]` where
  /// in it. Every problem found is reported, one per line: duplicate ids,
  /// unknown parents, cycles, clashing branch labels; each names the source
  /// and, when known, the line of the directive at fault.
  static Result<RevisionMap> build(std::vector<Revision> revisions,
                                   std::vector<std::string> sources = {},
                                   std::vector<DirectiveLines> lines = {});

  size_t size() const { return nodes_.size(); }
  std::optional<Index> find(const std::string& id) const;
  const Revision& revision(Index index) const { return nodes_[index].revision; }
  const std::string& id(Index index) const { return nodes_[index].revision.id; }
  const std::string& source(Index index) const { return nodes_[index].source; }
  const std::vector<Index>& parents(Index index) const { return nodes_[index].parents; }
  const std::vector<Index>& children(Index index) const { return nodes_[index].children; }
  /// Labels a revision belongs to: its own, those of the ancestor that
  /// declared one, and those of descendants up to the branch point.
  const std::vector<std::string>& labels(Index index) const { return nodes_[index].labels; }
  /// The revision that declares `label`.
  std::optional<Index> label_owner(const std::string& label) const;
  /// Revisions whose id starts with `prefix`, in id order.
  std::vector<Index> with_prefix(const std::string& prefix) const;

  /// Revisions without children / without parents, in id order.
  const std::vector<Index>& heads() const { return heads_; }
  const std::vector<Index>& bases() const { return bases_; }
  bool is_branch_point(Index index) const { return children(index).size() > 1; }
  bool is_merge_point(Index index) const { return parents(index).size() > 1; }

  /// Every revision, parents before children; ties broken by id so the order
  /// is stable across runs.
  const std::vector<Index>& topological_order() const { return topological_; }
  /// Position of `index` in topological_order().
  int rank(Index index) const { return nodes_[index].rank; }

  /// `from` and all their ancestors.
  Set ancestors(const std::vector<Index>& from) const;
  /// `from` and all their descendants.
  Set descendants(const std::vector<Index>& from) const;
  /// Members of `set` that have no child in `set`, in id order.
  std::vector<Index> heads_of(const Set& set) const;
  /// Members of `set` in topological order (parents first).
  std::vector<Index> ordered(const Set& set) const;

  std::vector<std::string> ids(const std::vector<Index>& indexes) const;
  /// "a, b, c": for messages.
  std::string describe(const std::vector<Index>& indexes) const;

 private:
  struct Node {
    Revision revision;
    std::string source;
    DirectiveLines lines;
    std::vector<Index> parents;
    std::vector<Index> children;
    std::vector<std::string> labels;
    int rank = 0;
  };

  using Problems = std::vector<std::string>;
  void index_nodes(Problems& problems);
  void link_parents(Problems& problems);
  void index_labels(Problems& problems);
  void sort_topologically(Problems& problems);
  void propagate_labels();
  /// `source:line` of a revision's directive, for messages.
  std::string where(Index index, int line) const;
  std::string cycle_description(const std::vector<int>& remaining_in_degree) const;
  /// `from` and everything reachable from them along `edges`.
  Set reachable(const std::vector<Index>& from, std::vector<Index> Node::*edges) const;

  std::vector<Node> nodes_;
  std::unordered_map<std::string, Index> by_id_;
  std::vector<Index> sorted_by_id_;
  std::unordered_map<std::string, Index> label_owner_;
  std::vector<Index> heads_;
  std::vector<Index> bases_;
  std::vector<Index> topological_;
};

}  // namespace schemagate::script
