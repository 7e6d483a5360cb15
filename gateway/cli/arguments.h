// A small, strict command-line parser shared by every verb, so each verb has the same --help and
// the same error shape: "coregate <verb>: <what was wrong>" followed by the usage.
#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

namespace coregate::cli {

class Arguments {
 public:
  // verb: e.g. "copybook"; summary: one line on what the verb does.
  Arguments(std::string verb, std::string summary);

  // Declare --name VALUE. `placeholder` is shown in the usage ("FILE").
  Arguments& option(std::string name, std::string placeholder, std::string help,
                    bool required = false);
  // Declare a boolean --name.
  Arguments& flag(std::string name, std::string help);
  // Allow positional words (e.g. "exceptions list"); `placeholder` is shown in the usage.
  Arguments& positionals(std::string placeholder, std::string help);

  // Parses args (the words after the verb). Returns false after printing the error and the usage
  // to err when the words are wrong. After a true return, check help_requested() first.
  [[nodiscard]] bool parse(std::span<const std::string> args, std::ostream& err);

  bool help_requested() const { return help_; }
  void print_usage(std::ostream& out) const;

  std::optional<std::string> get(const std::string& name) const;
  std::string get_or(const std::string& name, const std::string& fallback) const;
  bool has_flag(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  struct Spec {
    std::string name;
    std::string placeholder;  // empty for flags
    std::string help;
    bool required = false;
  };
  const Spec* find(const std::string& name) const;

  std::string verb_;
  std::string summary_;
  std::vector<Spec> specs_;
  std::string positional_placeholder_;
  std::string positional_help_;
  bool allow_positionals_ = false;
  bool help_ = false;
  std::map<std::string, std::string> values_;
  std::vector<std::string> flags_set_;
  std::vector<std::string> positional_;
};

}  // namespace coregate::cli
