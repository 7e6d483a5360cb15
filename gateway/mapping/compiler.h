// Mapping file → Plan. Internal: callers use load_mapping()/compile_mapping() from mapping.h.
#pragma once

#include <boost/json/value.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gateway/mapping/mapping.h"
#include "gateway/mapping/plan.h"

namespace coregate::mapping::detail {

// Collects load problems so one run reports all of them.
class ProblemList {
 public:
  explicit ProblemList(std::string file) : file_(std::move(file)) {}
  void add(int step, const std::string& step_target, std::string pointer, std::string message) {
    problems_.push_back({file_, step, step_target, std::move(pointer), std::move(message)});
  }
  bool empty() const { return problems_.empty(); }
  std::vector<LoadProblem>& problems() { return problems_; }
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<LoadProblem> problems_;
};

// Per-rule facts the checkers need beyond the Step: what the file said explicitly.
struct RuleSource {
  std::string pointer;  // "/fields/3"
  std::string label;    // "canonical /amount/value <-> system /ARR-AMOUNT"
  bool decimal_precision_given = false;
  bool decimal_scale_given = false;
  bool decimal_signed_given = false;
};

// The mapping-level facts the checkers need.
struct MappingHeader {
  std::string canonical_schema;  // "" when none
  std::string canonical_at;      // instance pointer prefix for schema look-ups ("" or "/data")
  std::string layout_copybook;   // resolved path, "" when none
  std::string layout_code_page;  // "cp037" etc., "" when none
};

// Throws MappingLoadError.
std::shared_ptr<const Plan> compile_plan(const boost::json::value& document, std::string source,
                                         const CompileOptions& options,
                                         const std::filesystem::path& base_directory);

// Type-checks canonical paths against the canonical schema (schema_check.cc).
void check_against_schema(const MappingHeader& header, std::vector<Step>& steps,
                          const std::vector<RuleSource>& sources, const CompileOptions& options,
                          ProblemList& problems);

// Checks system paths against a copybook layout and fills layout-derived facts (layout_check.cc).
void check_against_layout(const MappingHeader& header, std::vector<Step>& steps,
                          const std::vector<RuleSource>& sources, ProblemList& problems);

// Whether `code_page` names a code page this build can check text against.
bool code_page_supported(const std::string& code_page);
// The first problem with storing `text` in a field of `code_page` ("" when it is representable).
std::string code_page_problem(std::string_view text, const std::string& code_page);

}  // namespace coregate::mapping::detail
