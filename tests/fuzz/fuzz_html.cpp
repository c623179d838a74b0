// The HTML importer's text extraction on arbitrary bytes.
#include "core/io/HtmlText.h"
#include "core/text/Text.h"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char *data, std::size_t size)
{
    const std::string_view html(reinterpret_cast<const char *>(data), size);
    const lede::HtmlText text = lede::htmlToText(html);
    if (lede::text::isValidUtf8(text.text))
        (void)lede::text::normalize(text.text);
    return 0;
}
