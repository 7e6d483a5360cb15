// `coregate copybook`: print a copybook's layout, or decode a data file to JSON lines.
// Exit codes: 0 success, 1 bad data (a record failed to decode or the file is malformed),
// 2 usage or configuration errors (bad options, unreadable files, copybook syntax errors).
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "coregate/codecs/copybook/decoder.h"
#include "coregate/codecs/copybook/encoder.h"
#include "coregate/codecs/copybook/parser.h"
#include "coregate/codecs/copybook/record_reader.h"
#include "gateway/cli/arguments.h"
#include "gateway/cli/commands.h"

namespace coregate::cli {

namespace cb = coregate::codecs::copybook;

namespace {

std::string picture_text(const cb::Field& f) {
  if (f.level == 66)
    return "RENAMES " + f.renames_from + (f.renames_thru.empty() ? "" : " THRU " + f.renames_thru);
  if (f.is_group()) return "";
  return f.has_picture ? f.picture.text : "";
}

void print_layout(const cb::Copybook& book, std::ostream& out) {
  std::size_t width = 10;
  for (const auto& f : book.fields) width = std::max(width, f.path.size() + 2);
  out << std::left << std::setw(static_cast<int>(width)) << "FIELD" << std::right << std::setw(8)
      << "OFFSET" << std::setw(8) << "LENGTH"
      << "  " << std::left << std::setw(9) << "USAGE"
      << "PICTURE\n";
  for (const auto& f : book.fields) {
    std::string usage = f.is_group()    ? "GROUP"
                        : f.level == 66 ? "RENAMES"
                                        : std::string(cb::to_string(f.usage));
    std::string extra;
    if (f.occurs) {
      extra =
          "  OCCURS " + (f.occurs_min != f.occurs_max || !f.depending_on.empty()
                             ? std::to_string(f.occurs_min) + " TO " + std::to_string(f.occurs_max)
                             : std::to_string(f.occurs_max));
      if (!f.depending_on.empty()) extra += " DEPENDING ON " + f.depending_on;
    }
    if (!f.redefines.empty()) extra += "  REDEFINES " + f.redefines;
    out << std::left << std::setw(static_cast<int>(width)) << f.path << std::right << std::setw(8)
        << f.offset << std::setw(8) << f.length << "  " << std::left << std::setw(9) << usage
        << picture_text(f) << extra << "\n";
  }
  out << "record length " << book.record_length()
      << " bytes (offsets from 0; lengths include OCCURS maxima)\n";
}

bool parse_views(const std::string& field, const std::string& spec,
                 std::vector<cb::RedefineRule>& rules, std::string& problem) {
  std::stringstream ss(spec);
  std::string item;
  while (std::getline(ss, item, ',')) {
    auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size()) {
      problem = "--segment-views expects VALUE=VIEW[,VALUE=VIEW...], got '" + item + "'";
      return false;
    }
    rules.push_back({field, item.substr(0, eq), item.substr(eq + 1)});
  }
  return true;
}

// --encode: JSON lines -> records (F: fixed length; V: each record gets an RDW).
int encode_records(const Arguments& a, const cb::Copybook& book, const cb::DecodeOptions& d,
                   std::ostream& out, std::ostream& err) {
  cb::EncodeOptions eo;
  eo.code_page = d.code_page;
  eo.float_format = d.float_format;
  eo.native_binary_little_endian = d.native_binary_little_endian;
  eo.variable_size_occurs = d.variable_size_occurs;
  eo.root = d.root;
  const std::string recfm = a.get_or("recfm", "F");
  if (recfm != "F" && recfm != "FB" && recfm != "V")
    return (err << "coregate copybook: --encode writes --recfm F, FB or V\n"), 2;
  std::unique_ptr<cb::RecordEncoder> encoder;
  try {
    encoder = std::make_unique<cb::RecordEncoder>(book, eo);
  } catch (const std::invalid_argument& e) {
    return (err << "coregate copybook: " << e.what() << "\n"), 2;
  }
  std::ifstream in_file;
  std::istream* in = &std::cin;
  if (*a.get("data") != "-") {
    in_file.open(*a.get("data"));
    if (!in_file) return (err << "coregate copybook: cannot read '" << *a.get("data") << "'\n"), 2;
    in = &in_file;
  }
  std::ofstream out_file;
  std::ostream* dst = &out;
  const std::string output = a.get_or("output", "-");
  if (output != "-") {
    out_file.open(output, std::ios::binary | std::ios::trunc);
    if (!out_file) return (err << "coregate copybook: cannot write '" << output << "'\n"), 2;
    dst = &out_file;
  }
  const bool little = a.has_flag("rdw-little-endian");
  const bool includes = a.has_flag("rdw-includes-itself");
  std::string line;
  std::vector<std::uint8_t> rec;
  cb::EncodeError e;
  std::uint64_t n = 0;
  while (std::getline(*in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    ++n;
    if (!encoder->encode(line, rec, e)) {
      err << "coregate copybook: line " << n << ": " << e.to_string() << "\n";
      return 1;
    }
    if (recfm == "V") {
      const std::size_t len = rec.size() + (includes ? 4 : 0);
      if (len > 0xFFFF)
        return (err << "coregate copybook: line " << n << ": record too long for an RDW\n"), 1;
      const char hi = static_cast<char>(len >> 8), lo = static_cast<char>(len & 0xFF);
      const char rdw[4] = {little ? '\0' : hi, little ? '\0' : lo, little ? lo : '\0',
                           little ? hi : '\0'};
      dst->write(rdw, 4);
    }
    dst->write(reinterpret_cast<const char*>(rec.data()), static_cast<std::streamsize>(rec.size()));
  }
  dst->flush();
  return 0;
}

}  // namespace

int run_copybook_command(Args args, std::ostream& out, std::ostream& err) {
  Arguments a("copybook", "show a COBOL copybook's layout; decode EBCDIC records to JSON lines");
  a.option("copybook", "FILE", "the copybook (fixed or free format)", true)
      .option("data", "FILE",
              "records to decode ('-' for standard input); without it the layout is printed")
      .option("codepage", "NAME",
              "cp037 (default), cp273, cp277, cp278, cp280, cp284, cp285, cp297, cp500, cp871, "
              "cp1047, cp1140-cp1149, or latin1/ascii")
      .option("recfm", "F|FB|V|VB", "record format (default F)")
      .option("record-length", "N",
              "bytes per fixed record (default: the copybook's record length)")
      .flag("rdw-little-endian", "RDW length in bytes 2-3, little-endian")
      .flag("rdw-includes-itself", "the RDW length counts its own 4 bytes")
      .option("trim", "none|left|right|both", "trimming of PIC X values (default both)")
      .option("float", "hfp|ieee", "COMP-1/COMP-2 format (default hfp, IBM hexadecimal)")
      .option("numbers", "strings|json", "decimals as JSON strings (default) or bare JSON numbers")
      .flag("lenient", "write invalid values as null instead of failing")
      .flag("emit-nulls", "write null members instead of leaving them out")
      .flag("variable-occurs", "OCCURS DEPENDING ON tables take only their actual size")
      .flag("comp5-little-endian", "COMP-5 is little-endian (GnuCOBOL on x86)")
      .flag("printable-only",
            "characters outside printable ASCII become spaces (Cobrix's plain code pages)")
      .option("segment-field", "FIELD", "discriminator field that picks a REDEFINES view")
      .option("segment-views", "V=VIEW,...",
              "value -> REDEFINES view, e.g. C=STATIC-DETAILS,P=CONTACTS")
      .option("root", "NAME", "which 01 record to use when the copybook has several")
      .option("source-format", "auto|fixed|free", "copybook source format (default auto)")
      .option("limit", "N", "stop after N records")
      .flag("encode", "the other way: --data holds JSON lines, records are written to --output")
      .option("output", "FILE",
              "with --encode: the record file to write ('-' for standard output)");
  if (!a.parse(args, err)) return 2;
  if (a.help_requested()) {
    a.print_usage(out);
    return 0;
  }
  auto usage_error = [&](const std::string& message) {
    err << "coregate copybook: " << message << "\n";
    return 2;
  };

  std::ifstream cf(*a.get("copybook"), std::ios::binary);
  if (!cf) return usage_error("cannot read copybook '" + *a.get("copybook") + "'");
  std::stringstream text;
  text << cf.rdbuf();
  cb::ParseOptions po;
  const std::string sf = a.get_or("source-format", "auto");
  if (sf == "fixed")
    po.format = cb::SourceFormat::kFixed;
  else if (sf == "free")
    po.format = cb::SourceFormat::kFree;
  else if (sf != "auto")
    return usage_error("--source-format must be auto, fixed or free");
  cb::Copybook book;
  try {
    book = cb::parse_copybook(text.str(), po);
  } catch (const cb::CopybookError& e) {
    return usage_error(*a.get("copybook") + ": " + e.what());
  }
  if (!a.get("data")) {
    print_layout(book, out);
    return 0;
  }

  cb::DecodeOptions d;
  d.code_page = a.get_or("codepage", "cp037");
  const std::string trim = a.get_or("trim", "both");
  if (trim == "none")
    d.trim = cb::Trim::kNone;
  else if (trim == "left")
    d.trim = cb::Trim::kLeft;
  else if (trim == "right")
    d.trim = cb::Trim::kRight;
  else if (trim != "both")
    return usage_error("--trim must be none, left, right or both");
  const std::string fl = a.get_or("float", "hfp");
  if (fl == "ieee")
    d.float_format = cb::FloatFormat::kIeee754;
  else if (fl != "hfp")
    return usage_error("--float must be hfp or ieee");
  const std::string nums = a.get_or("numbers", "strings");
  if (nums == "json")
    d.numbers = cb::NumberStyle::kJsonNumbers;
  else if (nums != "strings")
    return usage_error("--numbers must be strings or json");
  d.lenient = a.has_flag("lenient");
  d.emit_nulls = a.has_flag("emit-nulls");
  d.variable_size_occurs = a.has_flag("variable-occurs");
  d.native_binary_little_endian = a.has_flag("comp5-little-endian");
  d.printable_ascii_only = a.has_flag("printable-only");
  d.root = a.get_or("root", "");
  if (a.get("segment-field") || a.get("segment-views")) {
    if (!a.get("segment-field") || !a.get("segment-views"))
      return usage_error("--segment-field and --segment-views go together");
    std::string problem;
    if (!parse_views(*a.get("segment-field"), *a.get("segment-views"), d.redefine_rules, problem))
      return usage_error(problem);
  }
  if (a.has_flag("encode")) return encode_records(a, book, d, out, err);
  std::unique_ptr<cb::RecordDecoder> decoder;
  try {
    decoder = std::make_unique<cb::RecordDecoder>(book, d);
  } catch (const std::invalid_argument& e) {
    return usage_error(e.what());
  }

  cb::RecordFormatOptions rf;
  const std::string recfm = a.get_or("recfm", "F");
  if (recfm == "F")
    rf.format = cb::RecordFormat::kFixed;
  else if (recfm == "FB")
    rf.format = cb::RecordFormat::kFixedBlocked;
  else if (recfm == "V")
    rf.format = cb::RecordFormat::kVariable;
  else if (recfm == "VB")
    rf.format = cb::RecordFormat::kVariableBlocked;
  else
    return usage_error("--recfm must be F, FB, V or VB");
  rf.record_length = decoder->record_length();
  if (auto rl = a.get("record-length")) {
    try {
      rf.record_length = static_cast<std::size_t>(std::stoul(*rl));
    } catch (...) {
      return usage_error("--record-length must be a number");
    }
  }
  rf.rdw_little_endian = a.has_flag("rdw-little-endian");
  rf.rdw_includes_itself = a.has_flag("rdw-includes-itself");
  std::uint64_t limit = UINT64_MAX;
  if (auto l = a.get("limit")) {
    try {
      limit = std::stoull(*l);
    } catch (...) {
      return usage_error("--limit must be a number");
    }
  }

  std::ifstream df;
  std::istream* in = &std::cin;
  if (*a.get("data") != "-") {
    df.open(*a.get("data"), std::ios::binary);
    if (!df) return usage_error("cannot read data file '" + *a.get("data") + "'");
    in = &df;
  }
  cb::StreamSource source(*in);
  std::unique_ptr<cb::RecordReader> reader;
  try {
    reader = std::make_unique<cb::RecordReader>(source, rf);
  } catch (const std::invalid_argument& e) {
    return usage_error(e.what());
  }
  std::span<const std::uint8_t> rec;
  std::string_view json;
  cb::DecodeError error;
  while (reader->records() < limit) {
    const cb::ReadStatus st = reader->next(rec);
    if (st == cb::ReadStatus::kEnd) break;
    if (st == cb::ReadStatus::kError) {
      out.flush();
      err << "coregate copybook: " << *a.get("data") << ": " << reader->error() << "\n";
      return 1;
    }
    if (!decoder->decode(rec, json, error)) {
      out.flush();
      err << "coregate copybook: record " << reader->records() << " (data offset "
          << reader->stream_offset() - rec.size() << "): " << error.to_string() << "\n";
      return 1;
    }
    out.write(json.data(), static_cast<std::streamsize>(json.size()));
    out.put('\n');
  }
  out.flush();
  return 0;
}

}  // namespace coregate::cli
