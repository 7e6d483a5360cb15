#include "gateway/cli/arguments.h"

#include <algorithm>

namespace coregate::cli {

Arguments::Arguments(std::string verb, std::string summary)
    : verb_(std::move(verb)), summary_(std::move(summary)) {}

Arguments& Arguments::option(std::string name, std::string placeholder, std::string help,
                             bool required) {
  specs_.push_back({std::move(name), std::move(placeholder), std::move(help), required});
  return *this;
}

Arguments& Arguments::flag(std::string name, std::string help) {
  specs_.push_back({std::move(name), {}, std::move(help), false});
  return *this;
}

Arguments& Arguments::positionals(std::string placeholder, std::string help) {
  allow_positionals_ = true;
  positional_placeholder_ = std::move(placeholder);
  positional_help_ = std::move(help);
  return *this;
}

const Arguments::Spec* Arguments::find(const std::string& name) const {
  auto it =
      std::find_if(specs_.begin(), specs_.end(), [&](const Spec& s) { return s.name == name; });
  return it == specs_.end() ? nullptr : &*it;
}

bool Arguments::parse(std::span<const std::string> args, std::ostream& err) {
  auto fail = [&](const std::string& message) {
    err << "coregate " << verb_ << ": " << message << "\n\n";
    print_usage(err);
    return false;
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& word = args[i];
    if (word == "--help" || word == "-h") {
      help_ = true;
      return true;
    }
    if (word.rfind("--", 0) == 0) {
      std::string name = word.substr(2);
      std::optional<std::string> inline_value;
      if (auto eq = name.find('='); eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      const Spec* spec = find(name);
      if (spec == nullptr) return fail("unknown option --" + name);
      if (spec->placeholder.empty()) {
        if (inline_value) return fail("--" + name + " takes no value");
        flags_set_.push_back(name);
        continue;
      }
      if (inline_value) {
        values_[name] = *inline_value;
      } else if (i + 1 < args.size()) {
        values_[name] = args[++i];
      } else {
        return fail("--" + name + " needs a value (" + spec->placeholder + ")");
      }
      continue;
    }
    if (!allow_positionals_) return fail("unexpected argument '" + word + "'");
    positional_.push_back(word);
  }
  for (const Spec& s : specs_) {
    if (s.required && !values_.count(s.name)) return fail("missing required option --" + s.name);
  }
  return true;
}

void Arguments::print_usage(std::ostream& out) const {
  out << "usage: coregate " << verb_;
  if (allow_positionals_) out << " " << positional_placeholder_;
  for (const Spec& s : specs_) {
    out << " " << (s.required ? "" : "[") << "--" << s.name
        << (s.placeholder.empty() ? "" : " " + s.placeholder) << (s.required ? "" : "]");
  }
  out << "\n\n" << summary_ << "\n\n";
  if (allow_positionals_)
    out << "  " << positional_placeholder_ << "\n      " << positional_help_ << "\n";
  for (const Spec& s : specs_) {
    out << "  --" << s.name << (s.placeholder.empty() ? "" : " " + s.placeholder) << "\n      "
        << s.help << "\n";
  }
  out << "  --help\n      show this help\n";
}

std::optional<std::string> Arguments::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Arguments::get_or(const std::string& name, const std::string& fallback) const {
  return get(name).value_or(fallback);
}

bool Arguments::has_flag(const std::string& name) const {
  return std::find(flags_set_.begin(), flags_set_.end(), name) != flags_set_.end();
}

}  // namespace coregate::cli
