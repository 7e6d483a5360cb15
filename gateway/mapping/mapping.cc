#include "gateway/mapping/mapping.h"

#include <boost/json/parse.hpp>

#include <fstream>
#include <sstream>

#include "gateway/mapping/compiler.h"
#include "gateway/mapping/plan.h"

namespace coregate::mapping {

std::string_view direction_name(Direction direction) {
  return direction == Direction::to_system ? "to_system" : "to_canonical";
}

std::string_view code_name(MapErrorCode code) {
  switch (code) {
    case MapErrorCode::missing_source:
      return "missing_source";
    case MapErrorCode::wrong_type:
      return "wrong_type";
    case MapErrorCode::invalid_number:
      return "invalid_number";
    case MapErrorCode::decimal_overflow:
      return "decimal_overflow";
    case MapErrorCode::rounding_required:
      return "rounding_required";
    case MapErrorCode::negative_unsigned:
      return "negative_unsigned";
    case MapErrorCode::invalid_date:
      return "invalid_date";
    case MapErrorCode::invalid_julian_day:
      return "invalid_julian_day";
    case MapErrorCode::year_out_of_window:
      return "year_out_of_window";
    case MapErrorCode::unknown_code:
      return "unknown_code";
    case MapErrorCode::too_long:
      return "too_long";
    case MapErrorCode::unrepresentable_character:
      return "unrepresentable_character";
    case MapErrorCode::split_mismatch:
      return "split_mismatch";
  }
  return "unknown";
}

std::string MapError::to_string() const {
  std::string text;
  if (step >= 0) text = "step " + std::to_string(step) + " (" + step_target + ")";
  if (!input_path.empty()) text += (text.empty() ? "" : ", ") + std::string("input ") + input_path;
  if (!text.empty()) text += ": ";
  return text + std::string(code_name(code)) + ": " + message;
}

std::string MapResult::diagnostic(std::string_view mapping_name) const {
  std::string text;
  for (const MapError& error : errors) {
    if (!text.empty()) text += "\n";
    text += "mapping '" + std::string(mapping_name) + "': " + error.to_string();
  }
  return text;
}

std::string LoadProblem::to_string() const {
  std::string text = file + ": ";
  if (step >= 0) text += "step " + std::to_string(step) + " (" + step_target + ") ";
  if (!mapping_pointer.empty()) text += "at " + mapping_pointer;
  if (step >= 0 || !mapping_pointer.empty()) text += ": ";
  return text + message;
}

namespace {
std::string join_problems(const std::vector<LoadProblem>& problems) {
  std::string text;
  for (const LoadProblem& p : problems) text += (text.empty() ? "" : "\n") + p.to_string();
  return text;
}
}  // namespace

MappingLoadError::MappingLoadError(std::vector<LoadProblem> problems)
    : std::runtime_error(join_problems(problems)), problems_(std::move(problems)) {}

CompiledMapping::CompiledMapping(std::shared_ptr<const detail::Plan> plan)
    : plan_(std::move(plan)) {}
CompiledMapping::~CompiledMapping() = default;

bool CompiledMapping::supports(Direction direction) const {
  return direction == Direction::to_system ? !plan_->to_system_steps.empty()
                                           : !plan_->to_canonical_steps.empty();
}
const std::string& CompiledMapping::name() const {
  return plan_->name;
}
const std::string& CompiledMapping::canonical_schema() const {
  return plan_->canonical_schema;
}
const std::string& CompiledMapping::source() const {
  return plan_->source;
}
std::size_t CompiledMapping::rule_count() const {
  return plan_->steps.size();
}

std::shared_ptr<const CompiledMapping> compile_mapping(
    const boost::json::value& document, std::string source_name, const CompileOptions& options,
    const std::filesystem::path& base_directory) {
  return std::make_shared<const CompiledMapping>(
      detail::compile_plan(document, std::move(source_name), options, base_directory));
}

std::shared_ptr<const CompiledMapping> load_mapping(const std::filesystem::path& file,
                                                    const CompileOptions& options) {
  const std::string name = file.string();
  std::ifstream in(file, std::ios::binary);
  if (!in) throw MappingLoadError({LoadProblem{name, -1, "", "", "cannot open the mapping file"}});
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  boost::json::value document = boost::json::parse(text.str(), ec);
  if (ec) {
    throw MappingLoadError({LoadProblem{name, -1, "", "", "not valid JSON: " + ec.message()}});
  }
  return compile_mapping(document, name, options, file.parent_path());
}

}  // namespace coregate::mapping
