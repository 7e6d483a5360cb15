// The one exception type of configuration. Thrown only while loading or checking config (start-up
// and `coregate check`), never on the data path.
#pragma once

#include <stdexcept>
#include <string>

namespace coregate::config {

class ConfigError : public std::runtime_error {
 public:
  // what() is "<file>: <key_path>: <message>" (or "<file>: <message>" without a key), with every
  // known secret value redacted.
  ConfigError(std::string file, std::string key_path, std::string message);

  const std::string& file() const { return file_; }
  const std::string& key_path() const { return key_path_; }
  const std::string& detail() const { return detail_; }

 private:
  std::string file_;
  std::string key_path_;
  std::string detail_;
};

}  // namespace coregate::config
