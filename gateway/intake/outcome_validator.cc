#include "gateway/intake/outcome_validator.h"

#include <stdexcept>

namespace coregate::intake {

OutcomeValidator::OutcomeValidator(const std::filesystem::path& schemas_root)
    : registry_(std::make_unique<schema::SchemaRegistry>()) {
  if (!std::filesystem::is_directory(schemas_root / "outcomes")) {
    throw std::runtime_error("no outcome schemas: " + (schemas_root / "outcomes").string() +
                             " is not a folder");
  }
  registry_->load_directory(schemas_root);
  known_types_ = registry_->list("outcomes");
  for (const auto& type : known_types_) {
    schemas_.emplace_back(type, registry_->find("outcomes/" + type + ".json"));
  }
  if (known_types_.empty()) {
    throw std::runtime_error("no outcome schemas in " + (schemas_root / "outcomes").string());
  }
}

BodyCheck OutcomeValidator::check(const boost::json::value& body) const {
  BodyCheck result;
  const auto* object = body.if_object();
  if (object == nullptr) {
    result.verdict = BodyVerdict::kNotAnObject;
    result.errors.push_back({"", "the body must be a JSON object {type, subject, data, ...}"});
    return result;
  }
  const auto* type = object->if_contains("type");
  if (type == nullptr || !type->is_string()) {
    result.verdict = BodyVerdict::kInvalid;
    result.errors.push_back({"/type", type == nullptr
                                          ? "required member \"type\" is missing"
                                          : "\"type\" must be a string naming an outcome type"});
    return result;
  }
  result.type = std::string(type->get_string());
  const schema::CompiledSchema* compiled = nullptr;
  for (const auto& [name, schema] : schemas_) {
    if (name == result.type) compiled = schema.get();
  }
  if (compiled == nullptr) {
    result.verdict = BodyVerdict::kUnknownType;
    return result;
  }
  std::vector<schema::ValidationError> errors;
  if (compiled->validate(body, &errors)) return result;
  result.verdict = BodyVerdict::kInvalid;
  for (auto& error : errors)
    result.errors.push_back({std::move(error.instance_pointer), std::move(error.message)});
  return result;
}

}  // namespace coregate::intake
