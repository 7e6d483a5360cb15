#include "sdk/codecs/copybook/src/plan.h"

#include <cstring>
#include <stdexcept>
#include <unordered_map>

namespace coregate::codecs::copybook::detail {

namespace {

struct Builder {
  const Copybook& cb;
  bool native_le, binary_le, quote;
  Plan plan;
  std::unordered_map<int, int> plan_of;  // copybook index -> plan index
  std::unordered_map<int, int> slot_of;  // copybook counter index -> slot

  int add(int fi, std::uint32_t parent_abs, bool in_table) {
    const Field& f = cb.fields[static_cast<std::size_t>(fi)];
    int pi = static_cast<int>(plan.nodes.size());
    plan.nodes.emplace_back();
    plan_of[fi] = pi;
    {
      PlanNode& n = plan.nodes.back();
      n.name = f.name;
      for (char& c : n.name)
        if (c == '-') c = '_';
      n.key = "\"" + n.name + "\":";
      if (n.key.size() <= sizeof n.key48) std::memcpy(n.key48, n.key.data(), n.key.size());
      n.path = f.path;
      n.emit = !f.filler;
      n.abs_offset = static_cast<std::uint32_t>(f.offset);
      n.rel_offset = static_cast<std::uint32_t>(f.offset - parent_abs);
      n.length = static_cast<std::uint32_t>(f.element_length);
      n.occurs = f.occurs;
      n.occurs_min = static_cast<std::uint32_t>(f.occurs_min);
      n.occurs_max = static_cast<std::uint32_t>(f.occurs_max);
      n.inside_table = in_table;
      n.value = f.value;
      n.is_signed = f.picture.is_signed;
      n.digits = f.picture.digits;
      n.scale = f.picture.scale;
      n.sign = f.sign;
      n.justified_right = f.justified_right;
      if (f.redefines_field >= 0) n.redefines = plan_of.at(f.redefines_field);
      if (f.depending_field >= 0) {
        auto it = slot_of.find(f.depending_field);
        if (it == slot_of.end()) {
          int slot = plan.counters++;
          slot_of[f.depending_field] = slot;
          plan.counter_nodes.push_back(-1);
          n.counter_slot = slot;
          // The counter precedes the table, so its plan node exists already.
          auto pit = plan_of.find(f.depending_field);
          if (pit == plan_of.end())
            throw std::invalid_argument("DEPENDING ON item of " + f.path +
                                        " is outside the record");
          plan.nodes[static_cast<std::size_t>(pit->second)].store_slot = slot;
          plan.counter_nodes[static_cast<std::size_t>(slot)] = pit->second;
        } else {
          n.counter_slot = it->second;
        }
      }
      const Category cat = f.picture.category;
      if (f.is_group()) {
        n.kind = Kind::kGroup;
      } else if (cat == Category::kFloat) {
        n.kind = f.usage == Usage::kFloat32 ? Kind::kFloat32 : Kind::kFloat64;
        n.max_out = 32;
      } else if (cat == Category::kAlphanumeric) {
        n.kind = Kind::kText;
        n.max_out = 6 * n.length + 4;
      } else if (cat == Category::kNumericEdited) {
        n.kind = Kind::kEdited;
        for (char s : f.picture.symbols)
          if (s != 'S' && s != 'V' && s != 'P') n.edit_symbols.push_back(s);
        // Digit positions: 9 Z * and the floating symbols after the first of their run.
        char floating = 0;
        for (std::size_t i = 0; i < n.edit_symbols.size(); ++i) {
          char s = n.edit_symbols[i];
          bool d = s == '9' || s == 'Z' || s == '*';
          if (s == '+' || s == '-' || s == '$') {
            if (floating == s)
              d = true;
            else if (i + 1 < n.edit_symbols.size() && n.edit_symbols[i + 1] == s)
              floating = s;
          }
          n.edit_digit.push_back(d);
        }
        n.quote = quote && (n.scale > 0 || n.digits > 15);
        n.max_out = 48 + 64;
      } else {
        switch (f.usage) {
          case Usage::kDisplay:
            n.kind = Kind::kZoned;
            break;
          case Usage::kPacked:
            n.kind = Kind::kPacked;
            break;
          case Usage::kBinary:
            n.kind = Kind::kBinary;
            n.check_digits = true;
            n.little_endian = binary_le;
            break;
          case Usage::kNativeBinary:
            n.kind = Kind::kBinary;
            n.little_endian = native_le;
            break;
          case Usage::kIndex:
          case Usage::kPointer:
            n.kind = Kind::kBinary;
            n.digits = 10;
            break;
          default:
            throw std::invalid_argument("unsupported usage for " + f.path);
        }
        if (f.picture.explicit_point) {
          // The byte index of the point among the stored characters.
          int pos = 0;
          for (char s : f.picture.symbols) {
            if (s == 'S' || s == 'V' || s == 'P') continue;
            if (s == '.' || s == ',') break;
            ++pos;
          }
          if (f.sign == SignPosition::kLeadingSeparate) ++pos;
          n.point_pos = pos;
        }
        n.quote = quote && (n.scale > 0 || n.digits > 15);
        n.max_out = 48 + static_cast<std::size_t>(n.length) +
                    static_cast<std::size_t>(n.scale < 0 ? -n.scale : 0);
      }
    }
    for (int c : f.children) {
      int ci = add(c, static_cast<std::uint32_t>(f.offset), in_table || f.occurs);
      plan.nodes[static_cast<std::size_t>(pi)].children.push_back(ci);
    }
    return pi;
  }
};

}  // namespace

int select_root(const Copybook& cb, const std::string& root_name) {
  int root = -1;
  if (root_name.empty()) {
    for (int r : cb.roots)
      if (root < 0 || (!cb.fields[static_cast<std::size_t>(r)].children.empty() &&
                       cb.fields[static_cast<std::size_t>(root)].children.empty()))
        root = r;
  } else {
    root = cb.find(root_name);
    if (root < 0 || cb.fields[static_cast<std::size_t>(root)].parent != -1)
      throw std::invalid_argument("no record named '" + root_name + "'");
  }
  if (root < 0) throw std::invalid_argument("the copybook has no record");
  return root;
}

Plan build_plan(const Copybook& cb, int root_index, bool native_le, bool binary_le, bool quote) {
  Builder b{cb, native_le, binary_le, quote, {}, {}, {}};
  b.add(root_index,
        static_cast<std::uint32_t>(cb.fields[static_cast<std::size_t>(root_index)].offset), false);
  // Worst-case output per item (children first: they come after their parent in the vector).
  for (std::size_t i = b.plan.nodes.size(); i-- > 0;) {
    PlanNode& n = b.plan.nodes[i];
    std::size_t one = n.max_out + 8;
    for (int c : n.children) one += b.plan.nodes[static_cast<std::size_t>(c)].max_total;
    n.max_total = n.key.size() + 8 + one * n.occurs_max;
  }
  for (int slot = 0; slot < b.plan.counters; ++slot) {
    const PlanNode& c =
        b.plan
            .nodes[static_cast<std::size_t>(b.plan.counter_nodes[static_cast<std::size_t>(slot)])];
    if (c.kind == Kind::kGroup || c.kind == Kind::kText || c.kind == Kind::kEdited ||
        c.kind == Kind::kFloat32 || c.kind == Kind::kFloat64)
      throw std::invalid_argument("DEPENDING ON item " + c.path + " must be numeric");
  }
  return std::move(b.plan);
}

}  // namespace coregate::codecs::copybook::detail
