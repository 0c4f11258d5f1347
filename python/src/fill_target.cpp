// fill_target.cpp — numpy arrays through the buffer protocol, torch tensors
// through data_ptr(), with every check done before anything is written.
#include "fill_target.hpp"

#include <memory>
#include <string>

namespace nninit::python {
namespace {

std::string type_name(py::handle value) { return std::string(Py_TYPE(value.ptr())->tp_name); }

// torch's objects, looked up once (torch is imported when a tensor exists).
struct TorchTypes {
  py::object float32, float64, float16, bfloat16, strided, no_grad;
  py::object is_grad_enabled, set_grad_enabled;  // set_grad_enabled: torch._C._set_grad_enabled, or None
};

const TorchTypes& torch_types() {
  static const TorchTypes* types = [] {
    const py::module_ torch = py::module_::import("torch");
    const py::object c_module = torch.attr("_C");
    return new TorchTypes{torch.attr("float32"),
                          torch.attr("float64"),
                          torch.attr("float16"),
                          torch.attr("bfloat16"),
                          torch.attr("strided"),
                          torch.attr("no_grad"),
                          torch.attr("is_grad_enabled"),
                          py::getattr(c_module, "_set_grad_enabled", py::none())};
  }();
  return *types;
}

void check_alignment(const void* data, std::size_t itemsize, std::string_view argument) {
  if (reinterpret_cast<std::uintptr_t>(data) % itemsize != 0) {
    throw py::value_error(std::string(argument) + ": its data is not aligned to its " + std::to_string(itemsize) +
                          "-byte elements (copy it into a fresh array)");
  }
}

FillTarget tensor_target(py::handle x, std::string_view argument, Shape shape) {
  const std::string name(argument);
  const TorchTypes& torch = torch_types();
  if (!py::object(x.attr("layout")).is(torch.strided)) {
    throw py::value_error(name + ": a " + py::str(x.attr("layout")).cast<std::string>() +
                          " tensor; nninit fills dense (strided) tensors");
  }
  if (!x.attr("is_cpu").cast<bool>()) {  // (x.device.type costs 20 times as much)
    throw py::value_error(name + ": on device " + py::str(x.attr("device")).cast<std::string>() +
                          "; nninit fills CPU tensors (fill one on the CPU, then copy it with .to(device))");
  }
  const py::object dtype = x.attr("dtype");
  FillTarget target;
  if (dtype.is(torch.float32)) {
    target.dtype = DType::f32;
  } else if (dtype.is(torch.float64)) {
    target.dtype = DType::f64;
  } else if (dtype.is(torch.float16)) {
    target.dtype = DType::f16;
  } else if (dtype.is(torch.bfloat16)) {
    target.dtype = DType::bf16;
  } else {
    throw py::type_error(name + ": dtype " + py::str(dtype).cast<std::string>() +
                         " is not torch.float32, torch.float64, torch.float16 or torch.bfloat16");
  }
  if (!x.attr("is_contiguous")().cast<bool>()) {
    throw py::value_error(name + ": not contiguous (strides " + py::str(x.attr("stride")()).cast<std::string>() +
                          "); fill a contiguous tensor, or .contiguous() and copy back");
  }
  if (shape == Shape::wanted) {
    for (const py::handle dimension : x.attr("shape")) target.shape.push_back(dimension.cast<std::int64_t>());
  }
  target.count = x.attr("numel")().cast<std::size_t>();
  target.data = reinterpret_cast<void*>(x.attr("data_ptr")().cast<std::uintptr_t>());
  if (target.count != 0) check_alignment(target.data, dtype_size(target.dtype), argument);
  if (x.attr("requires_grad").cast<bool>()) target.tensor = x;
  return target;
}

FillTarget buffer_target(py::handle x, std::string_view argument, Access access) {
  const std::string name(argument);
  FillTarget target;
  auto requested = std::make_unique<Py_buffer>();
  if (PyObject_GetBuffer(x.ptr(), requested.get(), PyBUF_RECORDS_RO) != 0) {
    PyErr_Clear();  // never filled in: nothing to release
    throw py::type_error(name + ": a " + type_name(x) + " whose buffer cannot be read");
  }
  target.buffer.reset(requested.release());
  const Py_buffer& view = *target.buffer;
  if (access == Access::write && view.readonly) {
    throw py::value_error(name + ": read-only (numpy: x.flags.writeable is False); nninit fills in place");
  }
  std::string format = view.format != nullptr ? view.format : "B";
  if (!format.empty() && (format.front() == '@' || format.front() == '=' || format.front() == '<')) {
    format.erase(0, 1);
  }
  if (format == "f" && view.itemsize == 4) {
    target.dtype = DType::f32;
  } else if (format == "d" && view.itemsize == 8) {
    target.dtype = DType::f64;
  } else if (format == "e" && view.itemsize == 2) {
    target.dtype = DType::f16;
  } else if (format == "H" && view.itemsize == 2) {
    target.dtype = DType::bf16;  // bfloat16 as its raw bits
  } else {
    const std::string shown = py::hasattr(x, "dtype") ? py::str(x.attr("dtype")).cast<std::string>()
                                                      : "format '" + std::string(view.format ? view.format : "B") + "'";
    throw py::type_error(name + ": dtype " + shown +
                         " is not float32, float64, float16 or uint16 (bfloat16 bits), in native byte order");
  }
  if (!PyBuffer_IsContiguous(&view, 'C')) {
    throw py::value_error(name + ": not C-contiguous; fill a contiguous array (numpy.ascontiguousarray) "
                                 "and copy it back");
  }
  std::size_t count = 1;
  for (int d = 0; d < view.ndim; ++d) {
    target.shape.push_back(static_cast<std::int64_t>(view.shape[d]));
    count *= static_cast<std::size_t>(view.shape[d]);
  }
  target.count = count;
  target.data = view.buf;
  if (count != 0) check_alignment(target.data, static_cast<std::size_t>(view.itemsize), argument);
  return target;
}

}  // namespace

void BufferRelease::operator()(Py_buffer* view) const noexcept {
  PyBuffer_Release(view);
  delete view;
}

FillTarget fill_target(py::handle x, std::string_view argument, Access access, Shape shape) {
  if (PyObject_CheckBuffer(x.ptr())) return buffer_target(x, argument, access);
  if (py::hasattr(x, "data_ptr") && py::hasattr(x, "is_contiguous")) return tensor_target(x, argument, shape);
  throw py::type_error(std::string(argument) + ": a " + type_name(x) +
                       ", not a numpy array (or other buffer) or a torch tensor");
}

void mark_written(const FillTarget& target) {
  if (!target.tensor) return;
  const TorchTypes& torch = torch_types();
  // x[:0].zero_() (x.view(-1)[:0] for a 0-d tensor): an in-place op on no
  // elements, on a view that shares x's version counter, with grad mode off
  // as torch.nn.init has it. About 1.5 us; through torch.no_grad() twice that.
  const auto bump = [&] {
    const py::object view = target.shape.empty() && py::len(target.tensor.attr("shape")) == 0
                                ? target.tensor.attr("view")(-1)
                                : py::reinterpret_borrow<py::object>(target.tensor);
    view[py::slice(0, 0, 1)].attr("zero_")();
  };
  if (torch.set_grad_enabled.is_none()) {
    const py::object guard = torch.no_grad();
    guard.attr("__enter__")();
    try {
      bump();
    } catch (...) {
      guard.attr("__exit__")(py::none(), py::none(), py::none());
      throw;
    }
    guard.attr("__exit__")(py::none(), py::none(), py::none());
    return;
  }
  const py::object enabled = torch.is_grad_enabled();
  torch.set_grad_enabled(false);
  try {
    bump();
  } catch (...) {
    torch.set_grad_enabled(enabled);
    throw;
  }
  torch.set_grad_enabled(enabled);
}

std::string_view python_dtype_name(DType dtype) noexcept {
  switch (dtype) {
    case DType::f32: return "float32";
    case DType::f64: return "float64";
    case DType::f16: return "float16";
    case DType::bf16: return "bfloat16";
  }
  return "?";
}

}  // namespace nninit::python
