// fill_target.hpp — the memory of a numpy array (any buffer-protocol object)
// or a PyTorch CPU tensor, checked and ready for an in-place fill: no copy,
// nothing written by the checks.
#pragma once

#include <pybind11/pybind11.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "nninit/dtype.hpp"

namespace nninit::python {

namespace py = pybind11;

// Releases a Py_buffer when the target goes away (with the GIL held).
struct BufferRelease {
  void operator()(Py_buffer* view) const noexcept;
};

struct FillTarget {
  void* data = nullptr;
  DType dtype = DType::f32;
  std::size_t count = 0;
  std::vector<std::int64_t> shape;  // empty for a tensor read with Shape::not_needed
  std::unique_ptr<Py_buffer, BufferRelease> buffer;  // set for buffer-protocol objects
  py::handle tensor;                                  // set for a torch tensor that requires grad
};

// After an in-place write into the target: a torch tensor that requires grad
// gets its version counter bumped, as any in-place op would (an empty
// in-place op under no_grad), so autograd still refuses a backward pass
// through a weight changed after it was saved. Other targets: nothing.
void mark_written(const FillTarget& target);

enum class Access { write, read };
// Whether FillTarget::shape is needed (a torch tensor's shape costs a few
// hundred nanoseconds to read; plain fills do not need it).
enum class Shape { wanted, not_needed };

// The array or tensor `x`, named `argument` in error messages.
// Accepted: C-contiguous, aligned, native-byte-order float32, float64,
// float16 and uint16 (bfloat16 bits) buffers (numpy arrays, memoryviews, ...),
// writable for Access::write; strided CPU torch tensors of dtype float32,
// float64, float16 or bfloat16, contiguous. Raises TypeError (not an array,
// an unsupported dtype) or ValueError (read-only, not contiguous, misaligned,
// on a GPU or other device) naming `argument`.
FillTarget fill_target(py::handle x, std::string_view argument, Access access = Access::write,
                       Shape shape = Shape::wanted);

// "float32", "float64", "float16", "bfloat16".
std::string_view python_dtype_name(DType dtype) noexcept;

}  // namespace nninit::python
