#pragma once

// A millisecond wall-clock time carried inside a video picture, so the time from a camera's
// encoder to the operator's screen can be measured on the decoded frame (gwanje-camsim writes
// it; the video benchmark and tests read it). A row of square blocks in the top-left corner of
// the luma plane, chroma grey: 2 sync blocks (white, black), the low 32 bits of the UTC time in
// ms (most significant first), 8 check bits. White is 1. A block is width/80 on a side (16 px at
// 1280, 8 px at 640): on the codec's macroblock grid, so it survives H.264 at camera bitrates.
// Plain C++ (the simulator is a GStreamer program without Qt).

#include <chrono>
#include <cstdint>
#include <cstring>

namespace gwanje::frame_stamp {

inline constexpr int syncBlocks = 2;
inline constexpr int dataBits = 32;
inline constexpr int checkBits = 8;
inline constexpr int blocks = syncBlocks + dataBits + checkBits;
inline constexpr std::uint8_t white = 235; // video-range luma
inline constexpr std::uint8_t black = 16;

inline int blockSide(int width)
{
    return width / 80 < 4 ? 4 : width / 80;
}

// UTC milliseconds, the stamp's clock.
inline std::uint64_t nowMs()
{
    using namespace std::chrono;
    return std::uint64_t(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

inline std::uint8_t check(std::uint32_t v)
{
    return std::uint8_t((v >> 24) ^ (v >> 16) ^ (v >> 8) ^ v ^ 0xA5u);
}

// Paints `value` into an I420 picture (plane pointers and strides).
inline void write(std::uint32_t value, int width, int height, std::uint8_t *y, int yStride, std::uint8_t *u,
                  int uStride, std::uint8_t *v, int vStride)
{
    const int b = blockSide(width);
    if (blocks * b > width || b > height)
        return;
    const std::uint8_t sum = check(value);
    for (int i = 0; i < blocks; ++i) {
        bool on = false;
        if (i == 0)
            on = true;
        else if (i < syncBlocks)
            on = false;
        else if (i < syncBlocks + dataBits)
            on = (value >> (31 - (i - syncBlocks))) & 1u;
        else
            on = (sum >> (7 - (i - syncBlocks - dataBits))) & 1u;
        for (int row = 0; row < b; ++row)
            std::memset(y + row * yStride + i * b, on ? white : black, std::size_t(b));
        for (int row = 0; row < b / 2; ++row) {
            std::memset(u + row * uStride + i * b / 2, 128, std::size_t(b / 2));
            std::memset(v + row * vStride + i * b / 2, 128, std::size_t(b / 2));
        }
    }
}

// Reads the value back from a decoded luma plane (the middle half of each block). False when the
// sync blocks or the check bits disagree: no stamp, a black or foreign picture, or a damaged one.
inline bool read(const std::uint8_t *y, int yStride, int width, int height, std::uint32_t *value)
{
    const int b = blockSide(width);
    if (blocks * b > width || b > height)
        return false;
    auto bit = [&](int i) {
        unsigned sum = 0, n = 0;
        for (int row = b / 4; row < b - b / 4; ++row) {
            for (int col = i * b + b / 4; col < i * b + b - b / 4; ++col) {
                sum += y[row * yStride + col];
                ++n;
            }
        }
        return sum / n > 125; // midway between black and white
    };
    if (!bit(0) || bit(1))
        return false;
    std::uint32_t v = 0;
    for (int i = 0; i < dataBits; ++i)
        v = (v << 1) | (bit(syncBlocks + i) ? 1u : 0u);
    std::uint8_t sum = 0;
    for (int i = 0; i < checkBits; ++i)
        sum = std::uint8_t((sum << 1) | (bit(syncBlocks + dataBits + i) ? 1u : 0u));
    if (sum != check(v))
        return false;
    *value = v;
    return true;
}

// Milliseconds since a stamp was written (sender and receiver on one clock; modulo 2^32 ms, so
// right for 49 days either side).
inline std::int64_t ageMs(std::uint32_t stamp)
{
    return std::int64_t(std::uint32_t(std::uint32_t(nowMs()) - stamp));
}

} // namespace gwanje::frame_stamp
