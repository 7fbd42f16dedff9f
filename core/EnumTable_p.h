#pragma once

// Tables indexed by an enum's value (a name per code, a sentence per refusal): each row starts
// with the value it is for, and a static_assert(followsEnum(table)) keeps the rows in the order
// of the enum, so a value added to the enum and not to its table fails the build.

#include <array>
#include <cstddef>
#include <tuple>

namespace gwanje {

template<typename Row, std::size_t N> constexpr bool followsEnum(const std::array<Row, N> &rows)
{
    for (std::size_t i = 0; i < N; ++i) {
        if (std::size_t(std::get<0>(rows[i])) != i)
            return false;
    }
    return true;
}

} // namespace gwanje
