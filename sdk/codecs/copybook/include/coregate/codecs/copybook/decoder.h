// Record decoder: bytes of one record -> one JSON object (a line of JSON text).
//
// Output shape: the 01 record level is collapsed (its children are the top-level members), groups
// become nested objects, OCCURS become arrays (ODO arrays hold the actual count), FILLER is left
// out, names keep their COBOL spelling with '-' turned into '_' (as Spark/Cobrix do). Numbers are
// exact: packed/zoned/binary values are rendered from their digits, never through binary floating
// point. With NumberStyle::kDecimalStrings (the default) values with decimal places, and integers
// declared with more than 15 digits, are JSON strings ("-1234.50") so no JSON reader can round
// them; kJsonNumbers writes them as bare JSON numbers with the same exact text.
//
// Thread-safety: a RecordDecoder holds a reusable output buffer, so one instance per thread.
// It copies what it needs from the Copybook; the Copybook need not outlive it.
// Errors: the constructor throws std::invalid_argument for bad options (unknown code page, a rule
// naming an unknown field). decode() never throws for bad data: it returns false and fills
// DecodeError, or, when lenient, writes the bad field as null (omitted unless emit_nulls).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "coregate/codecs/copybook/model.h"

namespace coregate::codecs::copybook {

enum class FloatFormat { kIeee754, kIbmHex };
enum class NumberStyle { kDecimalStrings, kJsonNumbers };
enum class Trim { kNone, kLeft, kRight, kBoth };

// Picks one view of a REDEFINES family per record: when the discriminator `field` reads as
// `value` (text trimmed; numbers as their decimal text), only the alternative named `view` is
// decoded from that family. Families with no matching rule emit every alternative.
struct RedefineRule {
  std::string field;  // e.g. "SEGMENT-ID"
  std::string value;  // e.g. "C"
  std::string view;   // e.g. "STATIC-DETAILS" (the original item or one of its REDEFINES)
};

struct DecodeOptions {
  std::string code_page = "cp037";
  // Cobrix's plain code pages: characters outside printable ASCII become spaces.
  bool printable_ascii_only = false;
  // Cobrix's extended code pages (its "cp037_ext" etc.) differ from IBM/glibc in control
  // characters only: C1 controls other than U+0085 become spaces and CR/LF are swapped
  // (EBCDIC 0x0D reads as LF, 0x25 as CR). Compatibility switch for comparing with Cobrix.
  bool cobrix_control_characters = false;
  Trim trim = Trim::kBoth;
  FloatFormat float_format = FloatFormat::kIbmHex;
  NumberStyle numbers = NumberStyle::kDecimalStrings;
  bool lenient = false;                      // invalid data -> null instead of an error
  bool emit_nulls = false;                   // write "name":null instead of leaving the member out
  bool native_binary_little_endian = false;  // COMP-5 byte order (little on x86 GnuCOBOL)
  bool binary_little_endian = false;         // COMP/BINARY byte order (big on IBM)
  // OCCURS DEPENDING ON: false = every table takes its maximum size in the record (Cobrix's
  // default); true = a table takes count x element bytes and later fields move up (IBM storage).
  bool variable_size_occurs = false;
  bool blank_numeric_as_null = true;  // an all-spaces numeric DISPLAY field is null, not an error
  bool keep_root = false;             // wrap the output in {"<01 name>": {...}}
  std::string root;                   // which 01/77 record to decode; empty = the first
  std::vector<RedefineRule> redefine_rules;
};

struct DecodeError {
  std::string field;       // full path, e.g. "RECORD.AMOUNT[3]"
  std::size_t offset = 0;  // byte offset of the field in the record
  std::string message;
  std::string to_string() const;
};

class RecordDecoder {
 public:
  RecordDecoder(const Copybook& copybook, DecodeOptions options);
  ~RecordDecoder();
  RecordDecoder(RecordDecoder&&) noexcept;
  RecordDecoder& operator=(RecordDecoder&&) noexcept;

  // Decodes one record into the internal buffer; the returned view is valid until the next call.
  // A record shorter than the layout decodes the fields that fit (the rest are absent).
  [[nodiscard]] bool decode(std::span<const std::uint8_t> record, std::string_view& json,
                            DecodeError& error);
  // Same, appending to `out`.
  [[nodiscard]] bool decode(std::span<const std::uint8_t> record, std::string& out,
                            DecodeError& error);

  // The record length of the selected root (bytes at maximum OCCURS counts).
  std::size_t record_length() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace coregate::codecs::copybook
