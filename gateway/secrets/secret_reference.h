// Secret references in configuration: "${env:NAME}" (an environment variable) and
// "${file:/path}" (a file's content, one trailing newline removed). DESIGN §4: secrets come from
// references, never literals in logs, errors or the audit.
#pragma once

#include <string>
#include <string_view>

namespace coregate::secrets {

// The result of expanding the references in one string. `error` never contains a secret value.
struct [[nodiscard]] Expansion {
  bool ok = false;
  std::string value;           // the text with every reference replaced
  bool had_reference = false;  // true when at least one reference was expanded
  std::string error;           // e.g. "environment variable PG_PASSWORD is not set"
};

// Expands every ${env:NAME} and ${file:PATH} inside `text` (a whole value such as "${env:TOKEN}"
// or an embedded one such as "Driver=PostgreSQL;PWD=${env:PG_PASS}"). "$${" escapes a literal "${".
// Each expanded value is registered with the global SecretRedactor so it never reaches a log.
// Thread-safe.
Expansion expand_references(std::string_view text);

}  // namespace coregate::secrets
