// Decoder fuzzer: arbitrary record bytes (and record-format framing) through a copybook that has
// every usage, ODO, REDEFINES and edited pictures; decoding must never crash, read out of bounds
// or produce invalid output in strict, lenient and variable-occurs modes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "coregate/codecs/copybook/decoder.h"
#include "coregate/codecs/copybook/encoder.h"
#include "coregate/codecs/copybook/parser.h"
#include "coregate/codecs/copybook/record_reader.h"

namespace cb = coregate::codecs::copybook;

namespace {

const char* kBook =
    "01 R.\n"
    " 05 KIND PIC X.\n"
    " 05 N PIC 9.\n"
    " 05 M PIC S9(2) COMP-3.\n"
    " 05 T OCCURS 0 TO 4 DEPENDING ON N.\n"
    "  10 A PIC S9(5)V99 COMP-3.\n"
    "  10 B PIC X(3).\n"
    "  10 I OCCURS 0 TO 3 DEPENDING ON M.\n"
    "   15 C PIC S9(4) COMP.\n"
    " 05 Z PIC S9(5)V99.\n"
    " 05 ZL PIC S9(3) SIGN LEADING SEPARATE.\n"
    " 05 ZT PIC S9(3).9 SIGN TRAILING.\n"
    " 05 BIN PIC S9(37) COMP.\n"
    " 05 U5 PIC 9(9) COMP-5.\n"
    " 05 F1 COMP-1.\n"
    " 05 F2 COMP-2.\n"
    " 05 E1 PIC $$,$$9.99CR.\n"
    " 05 E2 PIC -ZZ9.99.\n"
    " 05 P1 PIC SPPP9(3) COMP-3.\n"
    " 05 V1 PIC X(6).\n"
    " 05 V2 REDEFINES V1 PIC S9(11) COMP-3.\n";

struct Decoders {
  cb::Copybook book = cb::parse_copybook(kBook);
  cb::RecordDecoder strict{book, {}};
  cb::RecordDecoder lenient{book, [] {
                              cb::DecodeOptions o;
                              o.lenient = true;
                              o.emit_nulls = true;
                              o.variable_size_occurs = true;
                              o.float_format = cb::FloatFormat::kIeee754;
                              o.redefine_rules = {{"KIND", "N", "V2"}, {"KIND", "X", "V1"}};
                              return o;
                            }()};
  cb::RecordEncoder encoder{book, {}};
};

class SpanSource : public cb::ByteSource {
 public:
  SpanSource(const std::uint8_t* d, std::size_t n) : d_(d), n_(n) {}
  std::size_t read(std::uint8_t* into, std::size_t max) override {
    std::size_t k = std::min(max, n_ - pos_);
    std::copy_n(d_ + pos_, k, into);
    pos_ += k;
    return k;
  }

 private:
  const std::uint8_t* d_;
  std::size_t n_, pos_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Decoders d;
  std::span<const std::uint8_t> rec(data, size);
  std::string_view json;
  cb::DecodeError err;
  if (d.strict.decode(rec, json, err)) {
    std::vector<std::uint8_t> out;
    cb::EncodeError ee;
    (void)d.encoder.encode(json, out, ee);
  }
  (void)d.lenient.decode(rec, json, err);
  // The same bytes as a V / VB stream.
  for (auto fmt : {cb::RecordFormat::kVariable, cb::RecordFormat::kVariableBlocked}) {
    SpanSource src(data, size);
    cb::RecordFormatOptions o;
    o.format = fmt;
    o.rdw_little_endian = size % 2;
    o.buffer_size = 1 << 16;  // small buffers keep the fuzzer fast
    cb::RecordReader reader(src, o);
    std::span<const std::uint8_t> r;
    int n = 0;
    while (n++ < 64 && reader.next(r) == cb::ReadStatus::kRecord)
      (void)d.lenient.decode(r, json, err);
  }
  return 0;
}
