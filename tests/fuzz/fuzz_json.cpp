// The JSON/JSONL importer on arbitrary bytes: every document it accepts has
// annotations inside its text, so the store would take it whole.
#include "core/io/Importer.h"
#include "core/text/Text.h"

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const unsigned char *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const bool lines = data[0] & 1;
    auto docs = lede::parseLedeExport({reinterpret_cast<const char *>(data) + 1, size - 1}, lines, "fuzz.json");
    if (!docs)
        return 0;
    for (const lede::ParsedDocument &d : *docs) {
        const auto length = static_cast<std::int64_t>(lede::text::codePointCount(d.document.text));
        for (const lede::NewAnnotation &a : d.annotations)
            if (a.start < 0 || a.end <= a.start || a.end > length)
                std::abort();
    }
    return 0;
}
