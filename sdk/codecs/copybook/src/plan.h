// Internal: the precomputed per-field decode/encode plan shared by RecordDecoder and
// RecordEncoder. Built once per (copybook, options); the hot loops only read it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "coregate/codecs/copybook/code_page.h"
#include "coregate/codecs/copybook/model.h"

namespace coregate::codecs::copybook::detail {

enum class Kind : std::uint8_t {
  kGroup,
  kText,
  kZoned,
  kPacked,
  kBinary,
  kFloat32,
  kFloat64,
  kEdited
};

struct PlanNode {
  Kind kind = Kind::kGroup;
  bool emit = true;    // false for FILLER (walked for size, never written)
  bool quote = false;  // numeric written as a JSON string
  bool is_signed = false;
  bool justified_right = false;
  bool check_digits = false;   // COMP/BINARY: |value| must be < 10^digits
  bool little_endian = false;  // binary byte order
  bool occurs = false;
  SignPosition sign = SignPosition::kNone;
  int digits = 0;
  int scale = 0;
  int point_pos = -1;            // DISPLAY numeric with an explicit '.', its byte index
  std::uint32_t rel_offset = 0;  // static offset from the parent element's start
  std::uint32_t length = 0;      // one element, bytes (static, maximum counts)
  std::uint32_t occurs_min = 1, occurs_max = 1;
  int counter_slot = -1;  // table: slot holding its DEPENDING ON count
  int store_slot = -1;    // this item is a DEPENDING ON counter: slot it fills
  int redefines = -1;     // plan index of the item this one redefines (family head)
  int family = -1;        // plan index of the family head when redefine rules cover the family
  std::uint32_t abs_offset = 0;  // static absolute offset (first occurrences)
  bool inside_table = false;
  std::string key;               // "\"NAME\":"
  char key48[48] = {};           // the key, zero padded, so the hot path copies a constant 48 bytes
  std::string name;              // JSON member name
  std::string path;              // COBOL path for errors
  std::string edit_symbols;      // kEdited: one symbol per stored byte
  std::vector<bool> edit_digit;  // kEdited: stored byte is a digit position
  std::string value;             // VALUE clause (encoder default)
  std::vector<int> children;
  std::size_t max_out = 0;    // worst-case JSON bytes for one element's value
  std::size_t max_total = 0;  // worst-case JSON bytes for the whole item, all occurrences
};

struct Plan {
  std::vector<PlanNode> nodes;  // nodes[0] is the root
  int counters = 0;
  std::vector<int> counter_nodes;  // plan index per slot
};

// The record a decoder or encoder works on: the 01 level named `root_name`, or when it is empty the
// first 01 level that has children (a copybook may start with 77s or elementary 01s). Throws
// std::invalid_argument naming the record when there is none.
int select_root(const Copybook& cb, const std::string& root_name);

// Builds the plan for root `root_index` of `cb`. Throws std::invalid_argument on unsupported
// shapes.
Plan build_plan(const Copybook& cb, int root_index, bool native_binary_little_endian,
                bool binary_little_endian, bool quote_exact_numbers);

}  // namespace coregate::codecs::copybook::detail
