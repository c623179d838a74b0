#include "core/base/Memory.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace lede::memory {

void returnLargeBlocksOnFree()
{
#ifdef __GLIBC__
    // Setting the threshold at all turns off its growth, and that of the
    // free space kept at the heap's top, which would then be given back
    // and taken again with every few short articles: up to 8 MB stays.
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    mallopt(M_TRIM_THRESHOLD, 8 << 20);
#endif
}

void giveBackFreePagesAfter(std::uint64_t bytes)
{
#ifdef __GLIBC__
    constexpr std::uint64_t kMuch = 4u << 20;
    if (bytes >= kMuch)
        malloc_trim(0);
#else
    (void)bytes;
#endif
}

} // namespace lede::memory
