// The tagger on arbitrary valid UTF-8: spans stay inside the text, sorted
// and without overlaps. Word boundaries from Lede's Latin segmenter equal
// ICU's wherever the segmenter takes the text.
#include "core/nlp/EntityTagger.h"
#include "core/text/Text.h"
#include "core/text/Tokenizer.h"

#include <cstdlib>
#include <memory>

extern "C" int LLVMFuzzerTestOneInput(const unsigned char *data, std::size_t size)
{
    static std::unique_ptr<lede::EntityTagger> tagger = lede::EntityTagger::createDefault().value();
    static lede::Tokenizer tokenizer;
    const std::string_view bytes(reinterpret_cast<const char *>(data), size);
    if (!lede::text::isValidUtf8(bytes))
        return 0;
    const std::string text = lede::text::normalize(bytes);
    const auto length = lede::text::codePointCount(text);
    std::uint32_t previousEnd = 0;
    for (const lede::TaggedSpan &s : tagger->tag(text)) {
        if (s.start >= s.end || s.end > length || s.start < previousEnd)
            std::abort();
        previousEnd = s.end;
    }
    const std::u16string utf16 = lede::text::toUtf16(bytes);
    std::vector<std::int32_t> latin;
    if (lede::latinWordBoundaries(utf16, latin) && latin != tokenizer.icuWordBoundaries(utf16))
        std::abort();
    return 0;
}
