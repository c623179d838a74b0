#pragma once

#include <cstdint>

// How the process's heap hands memory back to the system. A long article
// passes through several buffers of its own size (read, tagged, written);
// by default glibc's allocator raises its threshold for mapping a block on
// its own to the largest block freed so far, after which such buffers come
// from the shared heap and their pages stay with the process once freed.
namespace lede::memory {

/// Blocks of 1 MB and more get pages of their own, returned on free: the
/// executables call this first thing, before any thread starts.
void returnLargeBlocksOnFree();

/// Gives the free pages of every heap back to the system, after work that
/// freed much (`bytes`: how much it read); below 4 MB it does nothing.
void giveBackFreePagesAfter(std::uint64_t bytes);

} // namespace lede::memory
