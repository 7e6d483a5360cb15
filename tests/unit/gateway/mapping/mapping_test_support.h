// Helpers shared by the mapping tests: compile a mapping from JSON text, run it, read errors.
#pragma once

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <string>

#include "gateway/mapping/mapping.h"

namespace coregate::mapping::testing {

inline std::shared_ptr<const CompiledMapping> compile_text(const std::string& text,
                                                           CompileOptions options = {}) {
  return compile_mapping(boost::json::parse(text), "test.mapping.json", options);
}

// A mapping whose "fields" is the given JSON array text.
inline std::shared_ptr<const CompiledMapping> compile_fields(const std::string& fields,
                                                             const std::string& extra = "") {
  return compile_text(R"({"name": "t", )" + extra + R"("fields": )" + fields + "}");
}

inline MapResult run(const CompiledMapping& m, const std::string& input, Direction d) {
  return m.apply(boost::json::parse(input), d);
}

// The load problems of a mapping that must not compile ("" when it compiled).
inline std::string load_error(const std::string& text, CompileOptions options = {}) {
  try {
    compile_text(text, options);
  } catch (const MappingLoadError& e) {
    return e.what();
  }
  return "";
}

inline std::string all_errors(const MapResult& r) {
  return r.diagnostic("t");
}

}  // namespace coregate::mapping::testing
