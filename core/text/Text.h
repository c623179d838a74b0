#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Text helpers shared by every part of core. Lede stores text as UTF-8 in
// NFC with "\n" line ends, and every offset it stores or exchanges counts
// Unicode code points. These functions are the one place where bytes, code
// points and UTF-16 units are converted.
namespace lede::text {

/// True when `bytes` is well-formed UTF-8 (no overlongs, no surrogates).
bool isValidUtf8(std::string_view bytes);

/// Byte offset of the first malformed sequence, or npos when valid.
std::size_t firstInvalidUtf8(std::string_view bytes);

/// `bytes` with each malformed sequence replaced by U+FFFD, as a reader
/// shows a name it cannot decode; valid UTF-8 comes back unchanged.
std::string toValidUtf8(std::string_view bytes);

/// `text` made safe to print on a terminal: malformed bytes become U+FFFD;
/// control characters (C0, DEL, C1) and the bidirectional overrides that
/// can make a line read differently from what it holds are written as
/// escapes (\x1b, \u{202e}); a backslash stays a backslash. With
/// `multiline`, "\n" and "\t" are kept as they are.
std::string forTerminal(std::string_view text, bool multiline = false);

/// Brings decoded text to Lede's stored form: "\r\n" and lone "\r" become
/// "\n", a leading U+FEFF is dropped, and the result is NFC. Input must be
/// valid UTF-8.
std::string normalize(std::string_view utf8);
/// The same, on a text of one's own: an article already in stored form
/// (most are) costs no copy and no UTF-16 round trip.
void normalizeInPlace(std::string &utf8);

/// Where a part of a long text may end, at or after byte `from`, for work
/// done a part at a time: after a blank line within `lookahead` bytes,
/// else after a line break, else after a space there, else at the next
/// character. The text's size when `from` is at or past its end.
std::size_t partEnd(std::string_view utf8, std::size_t from, std::size_t lookahead);

/// Number of code points in valid UTF-8.
std::size_t codePointCount(std::string_view utf8);

/// Code points [start, end) of valid UTF-8, clamped to the text.
std::string_view sliceCodePoints(std::string_view utf8, std::size_t start, std::size_t end);

/// Lower-case hex SHA-256 of the bytes.
std::string sha256Hex(std::string_view bytes);

/// The most code points of a title that are kept: what a list or a tab
/// shows (an HTML or JSON title may be megabytes).
inline constexpr std::size_t kMaxTitleLength = 200;

/// `title` trimmed and kept to kMaxTitleLength code points.
std::string clipTitle(std::string_view title);

/// The first non-empty line, clipped (clipTitle): the title Lede gives a
/// plain-text article.
std::string firstLineTitle(std::string_view utf8);

/// Trims ASCII and Unicode white space at both ends.
std::string_view trim(std::string_view utf8);

/// Converts code-point offsets of one text into byte and UTF-16 offsets.
/// Building is one pass over the text; each look-up walks at most
/// kStride code points from a checkpoint, so exporting a document with
/// thousands of annotations stays linear.
class OffsetIndex {
public:
    explicit OffsetIndex(std::string_view utf8);

    std::size_t codePoints() const { return m_codePoints; }
    std::size_t byteOffset(std::size_t codePoint) const;
    std::size_t utf16Offset(std::size_t codePoint) const;
    std::string_view slice(std::size_t start, std::size_t end) const;

private:
    static constexpr std::size_t kStride = 64;
    struct Checkpoint {
        std::uint32_t byte;
        std::uint32_t utf16;
    };
    std::string_view m_text;
    std::size_t m_codePoints = 0;
    std::vector<Checkpoint> m_checkpoints;
};

/// Appends code point `c` in UTF-8; one that is no Unicode scalar value (a
/// surrogate, or past U+10FFFF) is appended as U+FFFD. The one UTF-8
/// encoder of Lede's code.
void appendUtf8(std::string &out, char32_t c);

/// UTF-8 to UTF-16 (invalid bytes become U+FFFD).
std::u16string toUtf16(std::string_view utf8);
/// UTF-16 to UTF-8 (unpaired surrogates become U+FFFD).
std::string toUtf8(std::u16string_view utf16);

/// The lines of a text, one at a time, without their '\n' (and without a
/// '\r' before it); a last line without a '\n' is a line too, and an
/// empty text has none.
///
///     text::LineReader lines(tsv);
///     for (std::string_view line; lines.next(line);)
///         ... lines.number() ...
class LineReader {
public:
    explicit LineReader(std::string_view text) : m_text(text) {}
    bool next(std::string_view &line);
    /// The number, from 1, of the line next() gave last.
    std::size_t number() const { return m_number; }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
    std::size_t m_number = 0;
};

/// Appends code point `c` in UTF-16 (a pair of surrogates past U+FFFF).
void appendUtf16(std::u16string &out, char32_t c);

/// Current time as ISO 8601 UTC with a trailing Z, to the second.
std::string nowIso8601();
/// Unix seconds of "YYYY-MM-DDTHH:MM:SSZ" (as nowIso8601 writes; a space
/// for the T and no Z are read too); nullopt for anything else.
std::optional<std::int64_t> parseIso8601(std::string_view text);

} // namespace lede::text
