// tinyenc._native: the C++ API as the Python package (python/tinyenc) uses
// it. Statuses become tinyenc.Error here, at the boundary; the library itself
// throws nothing. Encoding and tokenizing run with the GIL released.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "python/native/loaded_model.h"

namespace py = pybind11;

namespace tinyenc {
namespace python {
namespace {

// tinyenc.Error; created once, and kept for the interpreter's life.
PyObject* error_type = nullptr;

// Raises tinyenc.Error with the status's message; its `code` attribute names
// the status code ("i/o error", "token out of range", ...).
void ThrowIfFailed(const Status& status) {
  if (status.ok()) return;
  py::object error = py::reinterpret_borrow<py::object>(error_type)(status.message());
  error.attr("code") = StatusCodeName(status.code());
  PyErr_SetObject(error_type, error.ptr());
  throw py::error_already_set();
}

class PyModel {
 public:
  explicit PyModel(const py::bytes& path) {
    const std::string name = path;
    Status status;
    {
      py::gil_scoped_release release;
      status = loaded_.Open(name.c_str());
    }
    ThrowIfFailed(status);
  }

  const EncoderConfig& config() const { return loaded_.model().config(); }

  // (ids, type_ids, untruncated): the ids cut to the context, the pair's
  // token types (None without a pair), the count before the cut.
  py::tuple Tokenize(const py::bytes& utf8, const std::optional<py::bytes>& pair_utf8) {
    ThrowIfFailed(loaded_.PrepareTokenizer());
    const std::string text = utf8;
    const std::string pair = pair_utf8 ? std::string(*pair_utf8) : std::string();
    std::vector<int32_t> ids, type_ids;
    size_t untruncated = 0;
    Status status;
    {
      py::gil_scoped_release release;
      status = loaded_.Tokenize(text.data(), text.size(), pair_utf8 ? pair.data() : nullptr,
                                pair.size(), &ids, &type_ids, &untruncated);
    }
    ThrowIfFailed(status);
    py::object types = py::none();
    if (pair_utf8) types = py::array_t<int32_t>(type_ids.size(), type_ids.data());
    return py::make_tuple(py::array_t<int32_t>(ids.size(), ids.data()), types, untruncated);
  }

  // One packed batch. `sequences` are int32 id arrays (token models) or
  // float32 (frames, feature_length) arrays (features models); `type_ids`
  // none or one int32 array (or None) per sequence. Returns a float32 array
  // of every sequence's output rows, in order: (rows of all, width).
  py::array_t<float> Encode(const std::vector<py::array>& sequences,
                   const std::optional<std::vector<std::optional<py::array>>>& type_ids,
                   const std::string& output, const std::optional<std::string>& pooling,
                   std::optional<bool> normalize, size_t threads) {
    EncodeOptions options;
    if (pooling) {
      options.model_pooling = false;
      if (!ParsePooling(pooling->c_str(), &options.pooling)) {
        throw py::value_error("unknown pooling '" + *pooling + "' (mean, cls or none)");
      }
    }
    if (normalize) {
      options.model_normalize = false;
      options.normalize = *normalize;
    }
    options.threads = threads;
    if (type_ids && type_ids->size() != sequences.size()) {
      throw py::value_error("type_ids has " + std::to_string(type_ids->size()) +
                            " sequences, the batch " + std::to_string(sequences.size()));
    }
    std::vector<py::array> held;  // keeps converted arrays alive while encoding
    std::vector<SequenceInput> inputs(sequences.size());
    for (size_t b = 0; b < sequences.size(); ++b) {
      SetSequence(sequences[b], &inputs[b], &held);
      if (type_ids && (*type_ids)[b]) {
        inputs[b].type_ids = Ids((*type_ids)[b].value(), inputs[b].length, "type ids", &held);
      }
    }
    Outputs outputs;
    Status status;
    {
      py::gil_scoped_release release;
      status = loaded_.Encode(inputs, options, OutputNamed(output), &outputs);
    }
    ThrowIfFailed(status);
    const size_t total = outputs.width == 0 ? 0 : outputs.values.size() / outputs.width;
    return py::array_t<float>({total, outputs.width}, outputs.values.data());
  }

 private:
  static Output OutputNamed(const std::string& name) {
    if (name == "embedding") return Output::kEmbedding;
    if (name == "logits") return Output::kLogits;
    if (name == "hidden") return Output::kHidden;
    throw py::value_error("unknown output '" + name + "'");
  }

  // A contiguous int32 copy (or view) of a 1-D array; its length must be `length`
  // unless that is 0 (the sequence's own ids).
  static const int32_t* Ids(const py::array& array, size_t length, const char* what,
                            std::vector<py::array>* held) {
    auto ids = py::array_t<int32_t, py::array::c_style>::ensure(array);
    if (!ids || ids.ndim() != 1 || (length != 0 && static_cast<size_t>(ids.size()) != length)) {
      throw py::value_error(std::string(what) + " must be a 1-D int32 array of the sequence's length");
    }
    held->push_back(ids);
    return ids.data();
  }

  void SetSequence(const py::array& sequence, SequenceInput* input,
                   std::vector<py::array>* held) const {
    if (config().input == InputType::kTokens) {
      input->token_ids = Ids(sequence, 0, "token ids", held);
      input->length = static_cast<size_t>(sequence.size());
      return;
    }
    auto frames = py::array_t<float, py::array::c_style>::ensure(sequence);
    if (!frames || frames.ndim() != 2 ||
        static_cast<size_t>(frames.shape(1)) != config().feature_length) {
      throw py::value_error("features must be a float32 (frames, " +
                            std::to_string(config().feature_length) + ") array");
    }
    held->push_back(frames);
    input->features = frames.data();
    input->length = static_cast<size_t>(frames.shape(0));
  }

  LoadedModel loaded_;
};

}  // namespace
}  // namespace python
}  // namespace tinyenc

PYBIND11_MODULE(_native, module) {
  using tinyenc::python::error_type;
  using tinyenc::python::PyModel;
  module.doc() = "tinyenc's C++ runtime; use the tinyenc package, not this module";
  error_type = PyErr_NewExceptionWithDoc(
      "tinyenc.Error", "A tinyenc runtime status; `code` names it, the message says why.",
      PyExc_RuntimeError, nullptr);
  module.add_object("Error", py::handle(error_type));

  py::class_<PyModel>(module, "Model")
      .def(py::init<const py::bytes&>(), py::arg("path"))
      .def("_tokenize", &PyModel::Tokenize, py::arg("utf8"), py::arg("pair") = py::none())
      .def("_encode", &PyModel::Encode, py::arg("sequences"), py::arg("type_ids"),
           py::arg("output"), py::arg("pooling"), py::arg("normalize"), py::arg("threads"))
      .def_property_readonly("architecture",
                             [](const PyModel& m) { return std::string(m.config().architecture); })
      .def_property_readonly("layers", [](const PyModel& m) { return m.config().layer_count; })
      .def_property_readonly("width", [](const PyModel& m) { return m.config().hidden_width(); })
      .def_property_readonly("embedding_width",
                             [](const PyModel& m) { return m.config().embedding_width; })
      .def_property_readonly("context_length",
                             [](const PyModel& m) { return m.config().context_length; })
      .def_property_readonly("vocab_size", [](const PyModel& m) { return m.config().vocab_size; })
      .def_property_readonly("token_types",
                             [](const PyModel& m) { return m.config().token_type_count; })
      .def_property_readonly("feature_length",
                             [](const PyModel& m) { return m.config().feature_length; })
      .def_property_readonly("labels", [](const PyModel& m) { return m.config().label_count; })
      .def_property_readonly("classifier_input",
                             [](const PyModel& m) {
                               return tinyenc::ClassifierInputName(m.config().classifier_input);
                             })
      .def_property_readonly("input",
                             [](const PyModel& m) { return tinyenc::InputTypeName(m.config().input); })
      .def_property_readonly("pooling",
                             [](const PyModel& m) { return tinyenc::PoolingName(m.config().pooling); })
      .def_property_readonly("normalize", [](const PyModel& m) { return m.config().normalize; })
      .def_property_readonly("activation",
                             [](const PyModel& m) { return tinyenc::ActivationName(m.config().activation); })
      .def_property_readonly("pooler", [](const PyModel& m) { return m.config().pooler; })
      .def_property_readonly("class_token", [](const PyModel& m) { return m.config().class_token; });
}
