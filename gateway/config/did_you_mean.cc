#include "gateway/config/did_you_mean.h"

#include <algorithm>
#include <vector>

namespace coregate::config {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string_view> candidates) {
  size_t limit = std::clamp<size_t>(word.size() / 3, 1, 3);
  std::optional<std::string> best;
  size_t best_distance = limit + 1;
  for (std::string_view candidate : candidates) {
    size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(candidate);
    }
  }
  return best;
}

std::string unknown_key_message(std::string_view key, std::span<const std::string_view> known) {
  std::string message = "unknown key '" + std::string(key) + "'";
  if (auto match = closest_match(key, known)) return message + " (did you mean '" + *match + "'?)";
  if (known.empty()) return message + " (this section takes no keys)";
  message += " (expected one of: ";
  for (size_t i = 0; i < known.size(); ++i) {
    if (i) message += ", ";
    message += known[i];
  }
  return message + ")";
}

}  // namespace coregate::config
