// named_fill.hpp — fills of a FillTarget: a plain distribution, or an
// initializer by the CLI's name (element-wise or structured), bit-identical
// to `nninit fill` with the same seed, stream, offset and shape.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fill_target.hpp"
#include "initializers_by_name.hpp"
#include "nninit/distributions.hpp"
#include "nninit/stream.hpp"

namespace nninit::python {

// Where the target sits in its logical tensor, and how to fill it.
struct FillPlacement {
  std::uint64_t offset = 0;  // index of the target's first element in the logical tensor
  int threads = 0;
};

// Fills the target from `distribution` (nninit::fill), with the GIL released.
// Throws ValueError (the library's message) writing nothing when the
// distribution or the placement is invalid.
void fill_distribution(const FillTarget& target, const Distribution& distribution, const Stream& stream,
                       const FillPlacement& placement);

// The initializer `name` with `parameters` for a logical tensor of `shape`
// (cli::resolve_initializer; ValueError with its message in Python's words).
cli::ResolvedInitializer resolve_named(const std::string& name, const std::vector<std::int64_t>& shape,
                                       std::optional<Layout> layout,
                                       std::vector<std::pair<std::string, std::string>> parameters,
                                       cli::InitializerKinds kinds);

// Fills the target with `initializer` for the logical tensor `shape` (the
// target holds its elements [offset, offset + count)), with the GIL released.
// Element-wise initializers refuse the degenerate formulas the CLI refuses;
// structured ones other than sparse compute the whole tensor when the target
// is a part of it. Nothing is written on an error.
void fill_resolved(const FillTarget& target, const cli::ResolvedInitializer& initializer,
                   const std::vector<std::int64_t>& shape, const Stream& stream, const FillPlacement& placement);

}  // namespace nninit::python
