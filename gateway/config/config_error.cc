#include "gateway/config/config_error.h"

#include "gateway/secrets/secret_redactor.h"

namespace coregate::config {
namespace {

std::string compose(const std::string& file, const std::string& key_path,
                    const std::string& message) {
  std::string text = file;
  if (!key_path.empty()) text += ": " + key_path;
  text += ": " + message;
  return secrets::SecretRedactor::global().redact(text);
}

}  // namespace

ConfigError::ConfigError(std::string file, std::string key_path, std::string message)
    : std::runtime_error(compose(file, key_path, message)),
      file_(std::move(file)),
      key_path_(std::move(key_path)),
      detail_(secrets::SecretRedactor::global().redact(message)) {}

}  // namespace coregate::config
