// HMAC and digest helpers on OpenSSL for webhook verification and outbound request signing.
// Stateless; safe from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace coregate::plugins::rest {

enum class DigestAlgorithm { kSha1, kSha256, kSha512 };
enum class DigestEncoding { kHex, kBase64 };

// "sha1", "sha256", "sha512" (as written in config); nullopt otherwise.
std::optional<DigestAlgorithm> digest_algorithm(std::string_view name);
std::optional<DigestEncoding> digest_encoding(std::string_view name);

// Raw MAC bytes.
std::string hmac(DigestAlgorithm algorithm, std::string_view key, std::string_view data);
std::string sha256(std::string_view data);

std::string to_hex(std::string_view bytes);
std::string to_base64(std::string_view bytes);
// nullopt for text that is not valid hex / base64.
std::optional<std::string> from_hex(std::string_view text);
std::optional<std::string> from_base64(std::string_view text);

std::string encode(DigestEncoding encoding, std::string_view bytes);
std::optional<std::string> decode(DigestEncoding encoding, std::string_view text);

// Constant-time comparison of two byte strings (length is not secret).
bool equal_in_constant_time(std::string_view a, std::string_view b);

}  // namespace coregate::plugins::rest
