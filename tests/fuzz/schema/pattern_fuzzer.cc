// Differential regex fuzzer: for every pattern the DFA accepts, its answer must equal the
// backtracking matcher's (when that one finishes within its budget). Also exercises the parser
// on arbitrary bytes.
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "gateway/schema/pattern.h"
#include "gateway/schema/pattern_dfa.h"
#include "gateway/schema/pattern_syntax.h"

using namespace coregate::schema::detail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t split = input.find('\0');
  std::string_view source = input.substr(0, split);
  std::string_view text = split == std::string_view::npos ? "" : input.substr(split + 1);
  if (source.size() > 200) return 0;  // keep DFA construction time per input small
  std::vector<regex::Re> nodes;
  int root = 0;
  try {
    nodes = regex::parse(source, root);
  } catch (const std::invalid_argument&) {
    return 0;
  } catch (const regex::NotNative&) {
    return 0;
  }
  auto dfa = regex::Dfa::build(nodes, root);
  auto backtracking = regex::backtracking_search(nodes, root, text);
  if (dfa && backtracking && dfa->search(text) != *backtracking) std::abort();
  try {
    Pattern pattern(source);
    (void)pattern.search(text);
  } catch (const std::invalid_argument&) {
    std::abort();  // parse() accepted it, so Pattern must too
  }
  return 0;
}
