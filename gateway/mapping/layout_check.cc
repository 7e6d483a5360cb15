// Load-time check of system paths against the target's record layout (a COBOL copybook): every
// system field exists, decimals agree with the PICTURE (PIC S9(5)V99 is precision 7, scale 2),
// text fits its PIC X(n). Also the code-page checks used at run time.
#include "gateway/mapping/compiler.h"

#ifdef COREGATE_MAPPING_WITH_COPYBOOK
#include "coregate/codecs/copybook/field_info.h"
#include "coregate/codecs/copybook/parser.h"
#endif

#include <filesystem>
#include <fstream>
#include <sstream>

namespace coregate::mapping::detail {

#ifndef COREGATE_MAPPING_WITH_COPYBOOK

void check_against_layout(const MappingHeader& header, std::vector<Step>&,
                          const std::vector<RuleSource>&, ProblemList& problems) {
  if (header.layout_copybook.empty()) return;
  problems.add(
      -1, "", "/system/layout/copybook",
      "this build has no copybook codec to check the layout '" + header.layout_copybook + "'");
}

bool code_page_supported(const std::string&) {
  return false;
}
std::string code_page_problem(std::string_view, const std::string&) {
  return {};
}

#else

namespace cb = coregate::codecs::copybook;

namespace {

cb::FieldInfo unbounded_text_field() {
  cb::FieldInfo info;
  info.path = "text";
  info.category = cb::Category::kAlphanumeric;
  info.alphanumeric = true;
  info.ebcdic_text = true;
  info.byte_length = static_cast<std::size_t>(-1) / 2;
  return info;
}

std::string picture_of(const cb::Copybook& copybook, std::string_view name) {
  const int index = copybook.find(name);
  if (index < 0) return "";
  const cb::Field& field = copybook.fields[static_cast<std::size_t>(index)];
  std::string text = field.path;
  if (field.has_picture) text += " PIC " + field.picture.text;
  if (field.usage != cb::Usage::kDisplay) text += " " + std::string(cb::to_string(field.usage));
  return text;
}

}  // namespace

bool code_page_supported(const std::string& code_page) {
  const auto result = cb::check_text_fits(unbounded_text_field(), "", code_page);
  return result.ok();
}

std::string code_page_problem(std::string_view text, const std::string& code_page) {
  static const cb::FieldInfo field = unbounded_text_field();
  if (cb::check_text_fits(field, text, code_page).ok()) return {};
  // Name the first offending character and its position for the operator.
  std::size_t index = 0;
  for (std::size_t i = 0; i < text.size(); ++index) {
    std::size_t length = 1;
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0xF0) {
      length = 4;
    } else if (byte >= 0xE0) {
      length = 3;
    } else if (byte >= 0xC0) {
      length = 2;
    }
    const std::string_view one = text.substr(i, length);
    if (!cb::check_text_fits(field, one, code_page).ok()) {
      char32_t cp = length == 1 ? byte : byte & (0x7F >> length);
      for (std::size_t k = 1; k < one.size(); ++k) cp = (cp << 6) | (one[k] & 0x3F);
      return describe_code_point(cp) + " at character " + std::to_string(index + 1) +
             " has no byte in code page " + code_page;
    }
    i += length;
  }
  return "the text cannot be encoded in code page " + code_page;
}

void check_against_layout(const MappingHeader& header, std::vector<Step>& steps,
                          const std::vector<RuleSource>& sources, ProblemList& problems) {
  if (header.layout_copybook.empty()) return;
  // A layout is a small regular file; refusing anything else keeps a typo like /dev/zero from
  // hanging `coregate check`.
  std::error_code ec;
  const bool regular = std::filesystem::is_regular_file(header.layout_copybook, ec);
  if (regular && std::filesystem::file_size(header.layout_copybook, ec) > (16u << 20)) {
    problems.add(-1, "", "/system/layout/copybook",
                 "copybook '" + header.layout_copybook + "' is larger than 16 MiB");
    return;
  }
  std::ifstream in(header.layout_copybook, std::ios::binary);
  if (!regular || !in) {
    problems.add(-1, "", "/system/layout/copybook",
                 "cannot read copybook '" + header.layout_copybook + "'");
    return;
  }
  std::stringstream text;
  text << in.rdbuf();
  cb::Copybook copybook;
  try {
    copybook = cb::parse_copybook(text.str());
  } catch (const cb::CopybookError& e) {
    problems.add(-1, "", "/system/layout/copybook",
                 "copybook '" + header.layout_copybook + "' line " + std::to_string(e.line()) +
                     " column " + std::to_string(e.column()) + ": " + e.what());
    return;
  } catch (const std::exception& e) {
    problems.add(-1, "", "/system/layout/copybook",
                 "copybook '" + header.layout_copybook + "': " + e.what());
    return;
  }

  for (std::size_t i = 0; i < steps.size(); ++i) {
    Step& step = steps[i];
    const RuleSource& source = sources[i];
    auto problem = [&](const std::string& where, std::string message) {
      problems.add(step.index, source.label, where, std::move(message));
    };
    for (std::size_t k = 0; k < step.system.size(); ++k) {
      const std::string where =
          source.pointer + "/system" + (step.system.size() > 1 ? "/" + std::to_string(k) : "");
      std::string name;
      for (const auto& segment : step.system[k].segments())
        name += (name.empty() ? "" : ".") + segment;
      const auto info = cb::find_field(copybook, name);
      if (!info) {
        problem(where, "the copybook layout '" + header.layout_copybook + "' has no field '" +
                           name + "' (or the name is ambiguous)");
        continue;
      }
      if (info->is_group) {
        problem(where, "'" + info->path + "' is a group item; map its elementary fields");
        continue;
      }
      const std::string picture = picture_of(copybook, name);
      const bool numeric = info->category == cb::Category::kNumeric;
      if (step.operation == Operation::decimal) {
        DecimalRule& d = step.decimal;
        if (!numeric) {
          problem(where, "'" + picture + "' is not a numeric field; a decimal operation needs one");
          continue;
        }
        const int field_scale = info->scale < 0 ? 0 : info->scale;
        if (!source.decimal_precision_given) d.precision = info->digits;
        if (!source.decimal_scale_given) d.scale = field_scale;
        if (!source.decimal_signed_given) d.is_signed = info->is_signed;
        if (source.decimal_scale_given && d.scale != info->scale) {
          problem(source.pointer + "/decimal/scale",
                  "scale " + std::to_string(d.scale) + " does not match " + picture + " (scale " +
                      std::to_string(info->scale) + "): the system would read the value shifted");
        }
        if (d.precision > info->digits) {
          problem(source.pointer + "/decimal/precision",
                  "precision " + std::to_string(d.precision) + " exceeds " + picture + " (" +
                      std::to_string(info->digits) + " digits)");
        }
        if (source.decimal_signed_given && d.is_signed && !info->is_signed) {
          problem(source.pointer + "/decimal/signed",
                  "the rule allows negative values but " + picture + " has no sign");
        }
        if (d.scale > d.precision) {
          problem(source.pointer + "/decimal", "scale exceeds precision for " + picture);
        }
      } else if (step.operation == Operation::date && numeric) {
        const int width = digit_width(step.date.system);
        if (width == 0 || width > info->digits) {
          problem(source.pointer + "/date/system",
                  "format " + std::string(date_format_name(step.date.system)) + " does not fit " +
                      picture);
        }
      }
      if (info->alphanumeric && step.system.size() == 1) {
        if (step.text && static_cast<std::size_t>(step.text->width) > info->byte_length) {
          problem(source.pointer + "/text/width",
                  "width " + std::to_string(step.text->width) + " exceeds " + picture + " (" +
                      std::to_string(info->byte_length) + " characters)");
        }
        step.max_length = info->byte_length;
      }
    }
    if (step.when && step.when->side == Side::system) {
      std::string name;
      for (const auto& segment : step.when->path.segments())
        name += (name.empty() ? "" : ".") + segment;
      if (!cb::find_field(copybook, name)) {
        problem(source.pointer + "/when/system",
                "the copybook layout '" + header.layout_copybook + "' has no field '" + name + "'");
      }
    }
  }
}

#endif

}  // namespace coregate::mapping::detail
