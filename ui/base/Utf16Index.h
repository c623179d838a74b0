#pragma once

#include <QStringView>

#include <cstdint>
#include <vector>

namespace lede::ui {

/// Converts between the store's offsets, which count Unicode code points,
/// and QString's, which count UTF-16 units, for one text. This is the one
/// place in the UI where the two meet: everything read from or written to
/// the store goes through an index of its document's text.
///
/// Only characters outside the Basic Multilingual Plane (emoji, historic
/// scripts, mathematical letters) take two units, so the index keeps just
/// their positions: a text without any costs nothing, and each conversion
/// is a binary search over those positions.
class Utf16Index {
public:
    Utf16Index() = default;
    /// Indexes `text`; the index does not keep a reference to it.
    explicit Utf16Index(QStringView text);

    /// UTF-16 offset of code point `codePoint`, clamped to the text.
    qsizetype utf16Offset(std::int64_t codePoint) const;
    /// Code-point offset of UTF-16 offset `utf16`, clamped to the text. An
    /// offset between the two halves of a surrogate pair maps to the start
    /// of that character, so a conversion never splits one.
    std::int64_t codePointOffset(qsizetype utf16) const;

    std::int64_t codePoints() const { return static_cast<std::int64_t>(m_length) - static_cast<std::int64_t>(m_astral.size()); }
    qsizetype utf16Length() const { return m_length; }

private:
    std::vector<qsizetype> m_astral; // UTF-16 offset of each surrogate pair, ascending
    qsizetype m_length = 0;
};

} // namespace lede::ui
