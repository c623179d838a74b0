// Text decoding and encoding detection on arbitrary bytes: never a crash,
// and whatever is accepted is valid UTF-8 that normalises.
#include "core/text/Text.h"
#include "core/text/TextDecoder.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const unsigned char *data, std::size_t size)
{
    auto decoded = lede::decodeText({reinterpret_cast<const char *>(data), size});
    if (decoded) {
        if (!lede::text::isValidUtf8(decoded->text))
            std::abort();
        (void)lede::text::normalize(decoded->text);
    }
    return 0;
}
