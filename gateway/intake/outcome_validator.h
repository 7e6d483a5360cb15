// Checks an intake body against its canonical schema, schemas/outcomes/<type>.json, which
// describes the WHOLE body {type, subject, data, trigger_id?, evidence?}. The schema engine is
// gateway/schema; this class only picks the schema and shapes the answer.
#pragma once

#include <boost/json/value.hpp>
#include <memory>
#include <string>
#include <vector>

#include "gateway/schema/schema_registry.h"

namespace coregate::intake {

struct BodyError {
  std::string pointer;  // RFC 6901 into the body
  std::string message;
};

enum class BodyVerdict { kValid, kNotAnObject, kUnknownType, kInvalid };

struct BodyCheck {
  BodyVerdict verdict = BodyVerdict::kValid;
  std::string type;  // the body's "type" when it is a string
  std::vector<BodyError> errors;
};

class OutcomeValidator {
 public:
  // Loads and compiles every schema under `schemas_root` (must hold an outcomes/ folder with at
  // least one schema). Throws schema::SchemaError or std::runtime_error naming the folder.
  explicit OutcomeValidator(const std::filesystem::path& schemas_root);

  // Thread-safe.
  [[nodiscard]] BodyCheck check(const boost::json::value& body) const;

  // The outcome types with a schema, sorted ("arrangement.promise_to_pay", ...).
  const std::vector<std::string>& known_types() const { return known_types_; }

 private:
  std::unique_ptr<schema::SchemaRegistry> registry_;
  std::vector<std::pair<std::string, std::shared_ptr<const schema::CompiledSchema>>> schemas_;
  std::vector<std::string> known_types_;
};

}  // namespace coregate::intake
