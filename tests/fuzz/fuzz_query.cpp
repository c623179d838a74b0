// The search query reader on arbitrary bytes.
#include "core/search/SearchQuery.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char *data, std::size_t size)
{
    auto query = lede::parseQuery({reinterpret_cast<const char *>(data), size});
    if (query)
        (void)query->toString();
    return 0;
}
