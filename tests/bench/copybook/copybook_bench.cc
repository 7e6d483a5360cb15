// Decode throughput on one core, and memory over a long stream.
//   copybook_bench [--stream-gib N]
// 1) DISPLAY-heavy records (text + zoned decimals) -> JSON lines, MiB/s of input.
// 2) COMP-3-heavy records -> JSON lines, MiB/s of input.
// 3) A generated stream of N GiB (default 2) through RecordReader (RECFM=V) + decoder, reporting
//    throughput and peak RSS before/after (flat memory = bounded buffers).
// Records are generated on the fly; nothing is written to disk.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "coregate/codecs/copybook/decoder.h"
#include "coregate/codecs/copybook/encoder.h"
#include "coregate/codecs/copybook/parser.h"
#include "coregate/codecs/copybook/record_reader.h"

namespace cb = coregate::codecs::copybook;

namespace {

const char* kDisplayBook =
    "01 CUSTOMER.\n"
    " 05 CUST-ID        PIC 9(10).\n"
    " 05 NAME           PIC X(30).\n"
    " 05 ADDRESS-1      PIC X(40).\n"
    " 05 ADDRESS-2      PIC X(40).\n"
    " 05 CITY           PIC X(20).\n"
    " 05 POSTCODE       PIC X(10).\n"
    " 05 COUNTRY        PIC X(3).\n"
    " 05 BALANCE        PIC S9(11)V99.\n"
    " 05 CREDIT-LIMIT   PIC S9(9)V99.\n"
    " 05 OPENED         PIC 9(8).\n"
    " 05 STATUS-CODE    PIC X(2).\n"
    " 05 SEGMENT        PIC X(4).\n"
    " 05 NOTES          PIC X(60).\n";

const char* kPackedBook =
    "01 POSTING.\n"
    " 05 ACCOUNT        PIC 9(12) COMP-3.\n"
    " 05 AMOUNTS OCCURS 12.\n"
    "  10 DEBIT         PIC S9(13)V99 COMP-3.\n"
    "  10 CREDIT        PIC S9(13)V99 COMP-3.\n"
    "  10 RATE          PIC S9(3)V9(6) COMP-3.\n"
    " 05 TOTAL          PIC S9(15)V99 COMP-3.\n"
    " 05 BRANCH         PIC 9(5) COMP-3.\n";

std::string random_digits(std::mt19937_64& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>('0' + rng() % 10));
  return s;
}

// Builds `count` distinct records by encoding random JSON (so the bench data is valid).
std::vector<std::uint8_t> make_records(const cb::Copybook& book, bool packed, int count) {
  cb::RecordEncoder enc(book, {});
  std::mt19937_64 rng(42);
  std::vector<std::uint8_t> all;
  const char* words[] = {"ALPHA", "BRAVO", "CHARLIE", "DELTA", "ECHO", "FOXTROT", "GOLF", "HOTEL"};
  for (int i = 0; i < count; ++i) {
    std::string json;
    if (!packed) {
      json = "{\"CUST_ID\":\"" + random_digits(rng, 10) + "\",\"NAME\":\"" + words[rng() % 8] +
             " " + words[rng() % 8] + "\",\"ADDRESS_1\":\"" + random_digits(rng, 3) + " " +
             words[rng() % 8] + " STREET\",\"ADDRESS_2\":\"FLOOR " + random_digits(rng, 2) +
             "\",\"CITY\":\"" + words[rng() % 8] + "\",\"POSTCODE\":\"" + random_digits(rng, 5) +
             "\",\"COUNTRY\":\"GBR\",\"BALANCE\":\"-" + random_digits(rng, 9) + "." +
             random_digits(rng, 2) + "\",\"CREDIT_LIMIT\":\"" + random_digits(rng, 7) +
             ".00\",\"OPENED\":\"2019" + random_digits(rng, 4) +
             "\",\"STATUS_CODE\":\"OK\",\"SEGMENT\":\"RETL\"," +
             "\"NOTES\":\"Customer since 2019; preferred contact by post\"}";
    } else {
      json = "{\"ACCOUNT\":\"" + random_digits(rng, 12) + "\",\"AMOUNTS\":[";
      for (int k = 0; k < 12; ++k) {
        json += std::string(k ? "," : "") + "{\"DEBIT\":\"" + random_digits(rng, 8) + "." +
                random_digits(rng, 2) + "\",\"CREDIT\":\"-" + random_digits(rng, 7) + "." +
                random_digits(rng, 2) + "\",\"RATE\":\"0." + random_digits(rng, 6) + "\"}";
      }
      json += "],\"TOTAL\":\"" + random_digits(rng, 12) + ".55\",\"BRANCH\":\"" +
              random_digits(rng, 5) + "\"}";
    }
    std::vector<std::uint8_t> rec;
    cb::EncodeError e;
    if (!enc.encode(json, rec, e)) {
      std::fprintf(stderr, "bench data: %s\n", e.to_string().c_str());
      std::exit(1);
    }
    all.insert(all.end(), rec.begin(), rec.end());
  }
  return all;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

void bench_in_memory(const char* label, const char* copybook, bool packed) {
  cb::Copybook book = cb::parse_copybook(copybook);
  const std::size_t len = book.record_length();
  const int distinct = 4096;
  std::vector<std::uint8_t> data = make_records(book, packed, distinct);
  cb::RecordDecoder dec(book, {});
  std::string_view json;
  cb::DecodeError err;
  // Three runs of 512 MiB each; the best is reported (the machine is shared, so the slower runs
  // measure other processes as much as this code).
  double best = 0, worst = 1e300, best_out = 0;
  std::size_t checksum = 0;
  for (int run = 0; run < 3; ++run) {
    std::size_t out_bytes = 0;
    const std::size_t target = std::size_t{1} << 29;
    std::size_t done = 0;
    auto t0 = std::chrono::steady_clock::now();
    while (done < target) {
      for (int i = 0; i < distinct; ++i) {
        if (!dec.decode({data.data() + i * len, len}, json, err)) {
          std::fprintf(stderr, "%s\n", err.to_string().c_str());
          std::exit(1);
        }
        out_bytes += json.size();
        checksum += static_cast<unsigned char>(json[json.size() / 2]);
      }
      done += distinct * len;
    }
    const double s = seconds_since(t0);
    const double mibs = done / s / (1 << 20);
    if (mibs > best) {
      best = mibs;
      best_out = out_bytes / s / (1 << 20);
    }
    worst = std::min(worst, mibs);
  }
  std::printf(
      "%-24s record %4zu B  best %7.1f MiB/s input (%7.1f MiB/s JSON out, %5.2f M records/s)  "
      "worst %7.1f "
      "(chk %zu)\n",
      label, len, best, best_out, best * (1 << 20) / len / 1e6, worst, checksum % 10);
}

// Serves a long RECFM=V stream built from a few records, without storing it.
class RepeatingSource : public cb::ByteSource {
 public:
  RepeatingSource(const std::vector<std::uint8_t>& records, std::size_t len, std::uint64_t total)
      : left_(total) {
    for (std::size_t off = 0; off < records.size(); off += len) {
      block_.push_back(static_cast<std::uint8_t>(len >> 8));
      block_.push_back(static_cast<std::uint8_t>(len));
      block_.push_back(0);
      block_.push_back(0);
      block_.insert(block_.end(), records.begin() + static_cast<long>(off),
                    records.begin() + static_cast<long>(off + len));
    }
  }
  std::size_t read(std::uint8_t* into, std::size_t max) override {
    std::size_t n = 0;
    while (n < max && left_ > 0) {
      std::size_t k =
          std::min<std::size_t>({max - n, block_.size() - pos_, static_cast<std::size_t>(left_)});
      std::memcpy(into + n, block_.data() + pos_, k);
      n += k;
      pos_ = (pos_ + k) % block_.size();
      left_ -= k;
    }
    return n;
  }

 private:
  std::vector<std::uint8_t> block_;
  std::size_t pos_ = 0;
  std::uint64_t left_;
};

void bench_stream(double gib) {
  cb::Copybook book = cb::parse_copybook(kDisplayBook);
  const std::size_t len = book.record_length();
  std::vector<std::uint8_t> data = make_records(book, false, 1024);
  const std::uint64_t per_block = 1024 * (len + 4);
  const std::uint64_t total =
      static_cast<std::uint64_t>(gib * (1ull << 30)) / per_block * per_block;
  RepeatingSource src(data, len, total);
  cb::RecordFormatOptions rf;
  rf.format = cb::RecordFormat::kVariable;
  cb::RecordReader reader(src, rf);
  cb::RecordDecoder dec(book, {});
  std::span<const std::uint8_t> rec;
  std::string_view json;
  cb::DecodeError err;
  const long rss_before = peak_rss_kib();
  long rss_at_10pct = 0;
  std::uint64_t records = 0, out = 0;
  auto t0 = std::chrono::steady_clock::now();
  while (reader.next(rec) == cb::ReadStatus::kRecord) {
    if (!dec.decode(rec, json, err)) {
      std::fprintf(stderr, "%s\n", err.to_string().c_str());
      std::exit(1);
    }
    out += json.size();
    if (++records == total / (len + 4) / 10) rss_at_10pct = peak_rss_kib();
  }
  const double s = seconds_since(t0);
  std::printf(
      "%-34s %.2f GiB RECFM=V  %8.1f MiB/s  %llu records  peak RSS %ld KiB at start, %ld KiB at "
      "10%%, "
      "%ld KiB at end\n",
      "stream (reader + decoder)", total / double(1ull << 30), total / s / (1 << 20),
      static_cast<unsigned long long>(records), rss_before, rss_at_10pct, peak_rss_kib());
  if (reader.error().size()) std::printf("reader error: %s\n", reader.error().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  double gib = 2.0;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--stream-gib") == 0) gib = std::atof(argv[i + 1]);
  bench_in_memory("DISPLAY-heavy -> JSON", kDisplayBook, false);
  bench_in_memory("COMP-3-heavy -> JSON", kPackedBook, true);
  if (gib > 0) bench_stream(gib);
  return 0;
}
