// Splits a byte stream into records: fixed (F/FB) or variable with a 4-byte Record Descriptor
// Word (V), optionally grouped in blocks with a 4-byte Block Descriptor Word (VB).
//
// RDW: bytes 0-1 hold the length (big-endian; little-endian when asked, as bytes 2-3 as some
// transfers write it), bytes 2-3 are zero. By default the length counts the data only (as Cobrix
// reads it); `rdw_includes_itself` subtracts the 4 RDW bytes (IBM's own convention).
// BDW: 4 bytes, the block length including the BDW itself; a set high bit marks the extended
// (31-bit) form.
//
// Memory is bounded: the reader keeps one buffer of max(buffer_size, 2 x largest record) bytes,
// whatever the stream length. Not thread-safe; one reader per stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace coregate::codecs::copybook {

enum class RecordFormat { kFixed, kFixedBlocked, kVariable, kVariableBlocked };

struct RecordFormatOptions {
  RecordFormat format = RecordFormat::kFixed;
  std::size_t record_length = 0;  // F/FB: bytes per record (required)
  bool rdw_little_endian = false;
  bool rdw_includes_itself = false;
  std::size_t buffer_size = 1 << 20;
};

// Where bytes come from. read() returns 0 only at the end of the stream.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual std::size_t read(std::uint8_t* into, std::size_t max) = 0;
};

// A ByteSource over a std::istream (not owned; must outlive the source).
class StreamSource : public ByteSource {
 public:
  explicit StreamSource(std::istream& in) : in_(in) {}
  std::size_t read(std::uint8_t* into, std::size_t max) override;

 private:
  std::istream& in_;
};

enum class ReadStatus { kRecord, kEnd, kError };

class RecordReader {
 public:
  // `source` is not owned and must outlive the reader. Throws std::invalid_argument when the
  // options are inconsistent (fixed format without a record length).
  RecordReader(ByteSource& source, RecordFormatOptions options);

  // Next record: the span is valid until the next call. kError leaves a message in error().
  [[nodiscard]] ReadStatus next(std::span<const std::uint8_t>& record);

  const std::string& error() const { return error_; }
  std::uint64_t stream_offset() const { return consumed_; }  // offset of the last record's data
  std::uint64_t records() const { return records_; }

 private:
  bool fill(std::size_t need);  // ensure `need` bytes are buffered; false at end of stream
  std::size_t rdw_length(const std::uint8_t* h) const;

  ByteSource& source_;
  RecordFormatOptions options_;
  std::vector<std::uint8_t> buf_;
  std::size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  std::uint64_t consumed_ = 0;  // stream offset of buf_[begin_]
  std::uint64_t records_ = 0;
  std::size_t block_left_ = 0;  // VB: bytes left in the current block
  std::string error_;
};

}  // namespace coregate::codecs::copybook
