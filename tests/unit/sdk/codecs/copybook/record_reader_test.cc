// Record formats: F, V with RDW in both byte orders and with "includes itself", VB with BDW
// blocks (short and extended form), malformed input, and bounded memory over a large stream.
#include <gtest/gtest.h>

#include <sstream>

#include "coregate/codecs/copybook/record_reader.h"

namespace cb = coregate::codecs::copybook;

namespace {

std::vector<std::string> read_all(const std::string& data, cb::RecordFormatOptions o,
                                  std::string* error = nullptr) {
  std::istringstream in(data);
  cb::StreamSource src(in);
  cb::RecordReader r(src, o);
  std::vector<std::string> recs;
  std::span<const std::uint8_t> rec;
  while (true) {
    auto st = r.next(rec);
    if (st == cb::ReadStatus::kRecord) {
      recs.emplace_back(reinterpret_cast<const char*>(rec.data()), rec.size());
      continue;
    }
    if (st == cb::ReadStatus::kError && error) *error = r.error();
    if (st == cb::ReadStatus::kError && !error) ADD_FAILURE() << r.error();
    break;
  }
  return recs;
}

std::string rdw(const std::string& payload, bool little, bool includes_itself) {
  std::size_t n = payload.size() + (includes_itself ? 4 : 0);
  std::string h =
      little ? std::string{'\0', '\0', static_cast<char>(n & 0xFF), static_cast<char>(n >> 8)}
             : std::string{static_cast<char>(n >> 8), static_cast<char>(n & 0xFF), '\0', '\0'};
  return h + payload;
}

}  // namespace

TEST(CopybookRecordReader, FixedRecords) {
  cb::RecordFormatOptions o;
  o.record_length = 3;
  EXPECT_EQ(read_all("abcdefghi", o), (std::vector<std::string>{"abc", "def", "ghi"}));
  std::string err;
  EXPECT_EQ(read_all("abcdefgh", o, &err).size(), 2u);
  EXPECT_NE(err.find("truncated last record"), std::string::npos);
  o.record_length = 0;
  std::istringstream in("");
  cb::StreamSource src(in);
  EXPECT_THROW(cb::RecordReader(src, o), std::invalid_argument);
}

TEST(CopybookRecordReader, VariableRecordsBothByteOrdersAndIncludesItself) {
  for (bool little : {false, true})
    for (bool incl : {false, true}) {
      cb::RecordFormatOptions o;
      o.format = cb::RecordFormat::kVariable;
      o.rdw_little_endian = little;
      o.rdw_includes_itself = incl;
      const std::string data =
          rdw("hello", little, incl) + rdw("", little, incl) + rdw("x", little, incl);
      EXPECT_EQ(read_all(data, o), (std::vector<std::string>{"hello", "", "x"})) << little << incl;
    }
}

TEST(CopybookRecordReader, VariableBlockedWithBdw) {
  cb::RecordFormatOptions o;
  o.format = cb::RecordFormat::kVariableBlocked;
  const std::string recs = rdw("abc", false, false) + rdw("de", false, false);
  const std::size_t bl = recs.size() + 4;
  std::string block =
      std::string{static_cast<char>(bl >> 8), static_cast<char>(bl & 0xFF), 0, 0} + recs;
  // Second block in the extended (31-bit) form.
  const std::string recs2 = rdw("fgh", false, false);
  const std::size_t bl2 = recs2.size() + 4;
  std::string block2 = std::string{static_cast<char>(0x80), 0, static_cast<char>(bl2 >> 8),
                                   static_cast<char>(bl2 & 0xFF)} +
                       recs2;
  EXPECT_EQ(read_all(block + block2, o), (std::vector<std::string>{"abc", "de", "fgh"}));
}

TEST(CopybookRecordReader, MalformedVariableInputIsReported) {
  cb::RecordFormatOptions o;
  o.format = cb::RecordFormat::kVariable;
  std::string err;
  // RDW claims 10 bytes, 3 present.
  read_all(std::string{0, 10, 0, 0} + "abc", o, &err);
  EXPECT_NE(err.find("truncated record at offset 0"), std::string::npos) << err;
  // Non-zero reserved bytes: the wrong byte order.
  read_all(std::string{0, 0, 5, 0} + "abcde", o, &err);
  EXPECT_NE(err.find("reserved"), std::string::npos) << err;
  // Includes itself but smaller than 4.
  o.rdw_includes_itself = true;
  read_all(std::string{0, 2, 0, 0}, o, &err);
  EXPECT_NE(err.find("smaller than the RDW"), std::string::npos) << err;
  // A record that overruns its block.
  cb::RecordFormatOptions b;
  b.format = cb::RecordFormat::kVariableBlocked;
  read_all(std::string{0, 8, 0, 0} + std::string{0, 9, 0, 0} + "123456789", b, &err);
  EXPECT_NE(err.find("overruns its block"), std::string::npos) << err;
}

namespace {

// Produces `total` bytes of V records on the fly (never held in memory at once).
class GeneratedSource : public cb::ByteSource {
 public:
  explicit GeneratedSource(std::uint64_t records) : left_(records) {}
  std::size_t read(std::uint8_t* into, std::size_t max) override {
    std::size_t n = 0;
    while (n < max) {
      if (pos_ == rec_.size()) {
        if (left_ == 0) break;
        --left_;
        const std::size_t len = 1 + (left_ * 7919) % 3000;
        rec_.assign(4 + len, 0x40);
        rec_[0] = static_cast<std::uint8_t>(len >> 8);
        rec_[1] = static_cast<std::uint8_t>(len);
        rec_[2] = rec_[3] = 0;
        pos_ = 0;
      }
      const std::size_t k = std::min(max - n, rec_.size() - pos_);
      std::copy_n(rec_.data() + pos_, k, into + n);
      pos_ += k;
      n += k;
    }
    return n;
  }

 private:
  std::uint64_t left_;
  std::vector<std::uint8_t> rec_;
  std::size_t pos_ = 0;
};

}  // namespace

TEST(CopybookRecordReader, StreamsManyRecordsThroughOneBuffer) {
  GeneratedSource src(20000);  // ~30 MB of records through a 1 MiB buffer
  cb::RecordFormatOptions o;
  o.format = cb::RecordFormat::kVariable;
  cb::RecordReader r(src, o);
  std::span<const std::uint8_t> rec;
  std::uint64_t n = 0, bytes = 0;
  while (r.next(rec) == cb::ReadStatus::kRecord) {
    ++n;
    bytes += rec.size();
  }
  EXPECT_EQ(n, 20000u);
  EXPECT_EQ(r.error(), "");
  EXPECT_GT(bytes, 20000u * 1000u);
}
