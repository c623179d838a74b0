#pragma once

#include <cstdint>

namespace lede::text {

/// MurmurHash3's 64-bit finaliser: spreads the bits of `x` so that nearby
/// keys land far apart in an open-addressing table. `lastMultiplier` is the
/// second of its two constants; the name model's feature hashes use one
/// that differs from the published one in a digit, and must keep it, as
/// the shipped model's table is laid out by those hashes.
constexpr std::uint64_t mix64(std::uint64_t x, std::uint64_t lastMultiplier = 0xc4ceb3fe1a85ec53ull)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= lastMultiplier;
    x ^= x >> 33;
    return x;
}

} // namespace lede::text
