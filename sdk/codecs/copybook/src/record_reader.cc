#include "coregate/codecs/copybook/record_reader.h"

#include <cstring>
#include <stdexcept>

namespace coregate::codecs::copybook {

std::size_t StreamSource::read(std::uint8_t* into, std::size_t max) {
  in_.read(reinterpret_cast<char*>(into), static_cast<std::streamsize>(max));
  return static_cast<std::size_t>(in_.gcount());
}

RecordReader::RecordReader(ByteSource& source, RecordFormatOptions options)
    : source_(source), options_(options) {
  const bool fixed =
      options_.format == RecordFormat::kFixed || options_.format == RecordFormat::kFixedBlocked;
  if (fixed && options_.record_length == 0)
    throw std::invalid_argument("fixed-length records need a record length");
  std::size_t size = std::max<std::size_t>(options_.buffer_size, 1 << 16);
  // A variable record is at most 64 KiB (16-bit RDW); a fixed one is record_length.
  size = std::max(size, 2 * (fixed ? options_.record_length : std::size_t{1} << 17));
  buf_.resize(size);
}

bool RecordReader::fill(std::size_t need) {
  if (end_ - begin_ >= need) return true;
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  while (end_ < need && !eof_) {
    std::size_t n = source_.read(buf_.data() + end_, buf_.size() - end_);
    if (n == 0) eof_ = true;
    end_ += n;
  }
  return end_ - begin_ >= need;
}

std::size_t RecordReader::rdw_length(const std::uint8_t* h) const {
  std::size_t n = options_.rdw_little_endian ? (std::size_t{h[3]} << 8 | h[2])
                                             : (std::size_t{h[0]} << 8 | h[1]);
  return n;
}

ReadStatus RecordReader::next(std::span<const std::uint8_t>& record) {
  auto advance = [&](std::size_t n) {
    begin_ += n;
    consumed_ += n;
  };
  switch (options_.format) {
    case RecordFormat::kFixed:
    case RecordFormat::kFixedBlocked: {
      const std::size_t L = options_.record_length;
      if (!fill(L)) {
        if (end_ == begin_) return ReadStatus::kEnd;
        error_ = "truncated last record: " + std::to_string(end_ - begin_) + " of " +
                 std::to_string(L) + " bytes at offset " + std::to_string(consumed_);
        return ReadStatus::kError;
      }
      record = {buf_.data() + begin_, L};
      advance(L);
      ++records_;
      return ReadStatus::kRecord;
    }
    case RecordFormat::kVariable:
    case RecordFormat::kVariableBlocked: {
      if (options_.format == RecordFormat::kVariableBlocked && block_left_ == 0) {
        if (!fill(4)) {
          if (end_ == begin_) return ReadStatus::kEnd;
          error_ = "truncated block descriptor word at offset " + std::to_string(consumed_);
          return ReadStatus::kError;
        }
        const std::uint8_t* h = buf_.data() + begin_;
        std::size_t bl = (h[0] & 0x80) ? (std::size_t{h[0] & 0x7Fu} << 24 |
                                          std::size_t{h[1]} << 16 | std::size_t{h[2]} << 8 | h[3])
                                       : (std::size_t{h[0]} << 8 | h[1]);
        if (bl < 8) {
          error_ = "block descriptor word length " + std::to_string(bl) + " at offset " +
                   std::to_string(consumed_) + " is too small";
          return ReadStatus::kError;
        }
        advance(4);
        block_left_ = bl - 4;
      }
      if (!fill(4)) {
        if (end_ == begin_ && block_left_ == 0) return ReadStatus::kEnd;
        if (end_ == begin_ && options_.format == RecordFormat::kVariable) return ReadStatus::kEnd;
        error_ = "truncated record descriptor word at offset " + std::to_string(consumed_);
        return ReadStatus::kError;
      }
      const std::uint8_t* h = buf_.data() + begin_;
      std::size_t n = rdw_length(h);
      if (options_.rdw_includes_itself) {
        if (n < 4) {
          error_ = "record descriptor word length " + std::to_string(n) + " at offset " +
                   std::to_string(consumed_) + " is smaller than the RDW itself";
          return ReadStatus::kError;
        }
        n -= 4;
      }
      const std::size_t other =
          options_.rdw_little_endian ? (std::size_t{h[0]} | h[1]) : (std::size_t{h[2]} | h[3]);
      if (other != 0) {
        error_ = "record descriptor word at offset " + std::to_string(consumed_) +
                 " has non-zero reserved bytes (wrong RDW byte order?)";
        return ReadStatus::kError;
      }
      if (options_.format == RecordFormat::kVariableBlocked) {
        if (n + 4 > block_left_) {
          error_ = "record at offset " + std::to_string(consumed_) + " overruns its block";
          return ReadStatus::kError;
        }
        block_left_ -= n + 4;
      }
      if (!fill(4 + n)) {
        error_ = "truncated record at offset " + std::to_string(consumed_) + ": RDW says " +
                 std::to_string(n) + " bytes, " + std::to_string(end_ - begin_ - 4) + " remain";
        return ReadStatus::kError;
      }
      advance(4);
      record = {buf_.data() + begin_, n};
      advance(n);
      ++records_;
      return ReadStatus::kRecord;
    }
  }
  return ReadStatus::kEnd;
}

}  // namespace coregate::codecs::copybook
