#include "gateway/intake/canonical_json.h"

#include <openssl/sha.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <vector>

namespace coregate::intake {

void append_canonical_json(const boost::json::value& value, std::string& out) {
  switch (value.kind()) {
    case boost::json::kind::object: {
      const auto& object = value.get_object();
      std::vector<const boost::json::key_value_pair*> members;
      members.reserve(object.size());
      for (const auto& member : object) members.push_back(&member);
      std::sort(members.begin(), members.end(),
                [](const auto* a, const auto* b) { return a->key() < b->key(); });
      out.push_back('{');
      bool first = true;
      for (const auto* member : members) {
        if (!first) out.push_back(',');
        first = false;
        out += boost::json::serialize(boost::json::string_view(member->key()));
        out.push_back(':');
        append_canonical_json(member->value(), out);
      }
      out.push_back('}');
      return;
    }
    case boost::json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : value.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        append_canonical_json(item, out);
      }
      out.push_back(']');
      return;
    }
    default:
      out += boost::json::serialize(value);
  }
}

std::string canonical_json(const boost::json::value& value) {
  std::string out;
  append_canonical_json(value, out);
  return out;
}

std::array<unsigned char, 32> fingerprint_of(const boost::json::value& value) {
  const std::string text = canonical_json(value);
  std::array<unsigned char, 32> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
  return digest;
}

}  // namespace coregate::intake
