#pragma once

#include "core/base/Result.h"

#include <string>
#include <string_view>

namespace lede {

/// The text of a file after its encoding has been identified and undone.
struct DecodedText {
    /// UTF-8 with any byte-order mark removed. Not yet NFC- or
    /// newline-normalised: the caller does that.
    std::string text;
    /// The encoding that was detected, as ICU names it: "UTF-8",
    /// "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE", "windows-1252",
    /// "ISO-8859-1", "windows-1251", "Shift_JIS", ...
    std::string encoding;
};

/// Decodes the raw bytes of a file into UTF-8.
///
/// A byte-order mark decides the encoding (UTF-8, UTF-16 or UTF-32, each
/// validated strictly). Without one, bytes that are valid UTF-8 are UTF-8;
/// anything else is taken for a legacy encoding and identified with ICU's
/// charset detector, preferring windows-1252 over ISO-8859-1 when bytes
/// 0x80-0x9F occur.
///
/// Fails, with one sentence that does not name the file (the caller
/// prefixes it), on: empty input; binary content (a NUL byte outside
/// UTF-16/UTF-32, or more than 10% C0 control characters other than tab,
/// line feed, form feed and carriage return); malformed UTF-8 after a
/// UTF-8 byte-order mark, or in BOM-less text whose other non-ASCII bytes
/// are valid UTF-8 (naming the byte offset); malformed UTF-16/UTF-32; an
/// encoding that cannot be determined. A file holding only a byte-order
/// mark is empty. Whitespace-only text is not an error. Never throws and
/// accepts arbitrary bytes.
Result<DecodedText> decodeText(std::string_view bytes);
/// The same, taking the bytes: UTF-8 text, most files, is not copied.
Result<DecodedText> decodeOwned(std::string &&bytes);

} // namespace lede
