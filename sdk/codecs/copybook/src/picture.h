// Internal: PICTURE string analysis and storage sizes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "coregate/codecs/copybook/model.h"

namespace coregate::codecs::copybook::detail {

// Expands and classifies a picture string. Returns an error message (empty on success); `column`
// receives the 0-based offset within `text` of the problem.
std::string analyze_picture(std::string_view text, bool decimal_point_is_comma, Picture& out,
                            std::size_t& column);

// Bytes an elementary item occupies (one occurrence).
std::size_t storage_length(const Picture& picture, Usage usage, SignPosition sign,
                           bool binary_size_1_2_4_8);

// Bytes of binary storage for `digits` decimal digits.
std::size_t binary_length(int digits, bool binary_size_1_2_4_8);

}  // namespace coregate::codecs::copybook::detail
