// The parsed form of a COBOL copybook: a tree of data items with their PICTURE, USAGE, SIGN,
// OCCURS, REDEFINES and 88-level conditions, plus the computed layout (offsets and lengths).
//
// Ownership: a Copybook owns all its Field records; Field indices (int) are stable for the life of
// the Copybook. A Copybook is immutable after parse_copybook() returns and may be shared by any
// number of threads for reading.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace coregate::codecs::copybook {

// How an elementary item is stored.
enum class Usage : std::uint8_t {
  kDisplay,  // one byte per character/digit (zoned decimal for numerics)
  kBinary,   // COMP, COMP-0, COMP-4, BINARY: big-endian two's complement, limited to PIC digits
  kNativeBinary,  // COMP-5: binary, full range of its storage (byte order is a decode option)
  kPacked,        // COMP-3, PACKED-DECIMAL: two digits per byte, sign in the last nibble
  kFloat32,       // COMP-1 (IEEE 754 or IBM hexadecimal float, chosen by a codec option)
  kFloat64,       // COMP-2
  kIndex,         // INDEX (4-byte binary)
  kPointer,       // POINTER (4 bytes, decoded as an unsigned integer)
};

// What kind of data the item holds.
enum class Category : std::uint8_t {
  kGroup,          // has children, no PICTURE
  kAlphanumeric,   // PIC X / A (text in the record's code page)
  kNumeric,        // PIC 9 / S / V / P (any numeric usage)
  kNumericEdited,  // PIC with Z * + - CR DB B 0 / . , (DISPLAY text that reads as a number)
  kFloat,          // COMP-1 / COMP-2 (no PICTURE)
};

enum class SignPosition : std::uint8_t {
  kNone,              // unsigned
  kTrailing,          // overpunched in the last digit (the default for S)
  kLeading,           // overpunched in the first digit
  kTrailingSeparate,  // an extra '+'/'-' byte after the digits
  kLeadingSeparate,   // an extra '+'/'-' byte before the digits
};

std::string_view to_string(Usage usage);
std::string_view to_string(Category category);

// A PICTURE after expansion of repeat counts.
struct Picture {
  std::string text;     // as written, e.g. "S9(5)V99"
  std::string symbols;  // repeat counts expanded, upper case, e.g. "S99999V99"
  Category category = Category::kAlphanumeric;
  int digits = 0;          // digit positions that are stored (P positions are not stored)
  int scale = 0;           // decimal places of the value; negative when trailing P scale it up
  bool is_signed = false;  // S present (or the edited picture carries a sign)
  int display_length = 0;  // characters the picture occupies in DISPLAY (sign separate excluded)
  bool explicit_point = false;  // '.' (or ',' with DECIMAL-POINT IS COMMA) stored in the data
};

// An 88-level condition: a name and the values (or "low THRU high" ranges) that make it true.
struct Condition {
  std::string name;
  struct Range {
    std::string low;   // literal text without quotes (figurative constants kept as words)
    std::string high;  // empty unless THRU was given
  };
  std::vector<Range> values;
};

struct Field {
  int level = 1;     // 1-49, 66 or 77 (88 levels are attached to their item as `conditions`)
  std::string name;  // as written ("SHORT-NAME"); "FILLER" for unnamed items
  bool filler = false;
  int line = 0;  // 1-based source position of the level number
  int column = 0;
  int parent = -1;  // index in Copybook::fields, -1 for a record (01/77) root
  std::vector<int> children;

  // Elementary items.
  bool has_picture = false;
  Picture picture;
  Usage usage = Usage::kDisplay;
  SignPosition sign = SignPosition::kNone;
  bool synchronized = false;
  bool justified_right = false;
  bool blank_when_zero = false;

  // OCCURS (occurs == false means a single item).
  bool occurs = false;
  int occurs_min = 1;
  int occurs_max = 1;
  std::string depending_on;  // the name as written
  int depending_field = -1;  // resolved index

  std::string redefines;  // the name as written
  int redefines_field = -1;

  std::string renames_from, renames_thru;  // level 66
  int renames_from_field = -1, renames_thru_field = -1;

  std::string value;  // VALUE clause text (literal without quotes), empty when absent
  std::vector<Condition> conditions;

  // Layout, filled by the parser. Offsets are from the start of the record, for the first
  // occurrence of every enclosing OCCURS; `element_length` is one occurrence, `length` all of them
  // (at the maximum count).
  std::size_t offset = 0;
  std::size_t element_length = 0;
  std::size_t length = 0;
  std::string path;  // names from the 01 level joined by '.', e.g. "RECORD.COMPANY.SHORT-NAME"

  bool is_group() const { return picture.category == Category::kGroup; }
};

class Copybook {
 public:
  std::vector<Field> fields;  // in source order; 88 levels excluded
  std::vector<int> roots;     // 01 and 77 items, in source order

  // Length of the largest record described (the longest 01/77 root).
  std::size_t record_length() const;

  // Finds a field by path. Accepts the full path ("RECORD.COMPANY.SHORT-NAME"), a path without
  // the record name ("COMPANY.SHORT-NAME"), any unique trailing part ("SHORT-NAME"), and treats
  // '-' and '_' as the same character, case-insensitively. Returns -1 when not found or ambiguous.
  int find(std::string_view path) const;
};

}  // namespace coregate::codecs::copybook
