// Record encoder: one JSON object (the shape RecordDecoder writes) -> the bytes of one record.
//
// Values: text members are UTF-8 strings; numeric members are decimal strings ("-1234.50") or
// JSON integers (JSON numbers with a fraction are accepted only for COMP-1/COMP-2, because a
// binary double cannot carry an exact decimal). A value that does not fit its PICTURE is an error,
// never rounded or truncated. Missing members take their VALUE clause, else spaces (text) or zero.
// REDEFINES: the first alternative present in the JSON is written; the others are ignored.
// OCCURS DEPENDING ON: the array length must equal the counter's value when both are given; an
// absent counter is set from the array length.
//
// Thread-safety: one instance per thread (it keeps scratch state). Keeps no reference to the
// Copybook. The constructor throws std::invalid_argument for bad options; encode() does not throw.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "coregate/codecs/copybook/decoder.h"
#include "coregate/codecs/copybook/model.h"

namespace coregate::codecs::copybook {

struct EncodeOptions {
  std::string code_page = "cp037";
  FloatFormat float_format = FloatFormat::kIbmHex;
  bool native_binary_little_endian = false;
  bool binary_little_endian = false;
  bool variable_size_occurs = false;  // see DecodeOptions
  std::string root;                   // which 01/77 record; empty = the first
};

struct EncodeError {
  std::string field;  // full path
  std::string message;
  std::string to_string() const { return field + ": " + message; }
};

class RecordEncoder {
 public:
  RecordEncoder(const Copybook& copybook, EncodeOptions options);
  ~RecordEncoder();
  RecordEncoder(RecordEncoder&&) noexcept;
  RecordEncoder& operator=(RecordEncoder&&) noexcept;

  // Replaces `out` with the record bytes. Fixed layouts always produce record_length() bytes.
  [[nodiscard]] bool encode(const boost::json::object& record, std::vector<std::uint8_t>& out,
                            EncodeError& error);
  // Parses `json` first (a syntax error is reported as an EncodeError on the record).
  [[nodiscard]] bool encode(std::string_view json, std::vector<std::uint8_t>& out,
                            EncodeError& error);

  std::size_t record_length() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace coregate::codecs::copybook
