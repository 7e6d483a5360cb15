// Suggestions for misspelt keys: "unknown key 'concurency' (did you mean 'concurrency'?)".
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace coregate::config {

// Levenshtein distance between a and b (byte-wise; config keys are ASCII).
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word`, if it is close enough to be a plausible typo (distance at most
// a third of the word's length, at least 1, at most 3).
std::optional<std::string> closest_match(std::string_view word,
                                         std::span<const std::string_view> candidates);

// "unknown key 'x'" plus " (did you mean 'y'?)" or " (expected one of: a, b, c)".
std::string unknown_key_message(std::string_view key, std::span<const std::string_view> known);

}  // namespace coregate::config
