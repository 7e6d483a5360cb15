// Parser fuzzer: any text must either parse (and then have a consistent layout that the field
// lookup and a decoder/encoder pair can use) or throw CopybookError — never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "coregate/codecs/copybook/decoder.h"
#include "coregate/codecs/copybook/encoder.h"
#include "coregate/codecs/copybook/field_info.h"
#include "coregate/codecs/copybook/parser.h"

namespace cb = coregate::codecs::copybook;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 8192) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto format : {cb::SourceFormat::kFree, cb::SourceFormat::kAuto}) {
    try {
      cb::ParseOptions o;
      o.format = format;
      cb::Copybook book = cb::parse_copybook(text, o);
      if (book.record_length() > (1u << 20))
        continue;  // huge OCCURS: valid, but not worth decoding
      for (const auto& f : book.fields) {
        auto info = cb::find_field(book, f.path);
        if (info) (void)cb::check_decimal_fits(*info, "-12.5");
      }
      cb::RecordDecoder dec(book, {});
      std::vector<std::uint8_t> rec(book.record_length(), 0x40);
      std::string_view json;
      cb::DecodeError err;
      if (dec.decode(rec, json, err)) {
        cb::RecordEncoder enc(book, {});
        std::vector<std::uint8_t> out;
        cb::EncodeError ee;
        (void)enc.encode(json, out, ee);
      }
    } catch (const cb::CopybookError&) {
    } catch (const std::invalid_argument&) {
    }
  }
  return 0;
}
