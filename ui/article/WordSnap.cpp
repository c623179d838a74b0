#include "ui/article/WordSnap.h"

#include <QChar>

#include <algorithm>

namespace lede::ui {

namespace {

// The code point starting at `i`, and its length in units.
char32_t codePointAt(QStringView text, qsizetype i, int *units = nullptr)
{
    if (i + 1 < text.size() && text[i].isHighSurrogate() && text[i + 1].isLowSurrogate()) {
        if (units)
            *units = 2;
        return QChar::surrogateToUcs4(text[i], text[i + 1]);
    }
    if (units)
        *units = 1;
    return text[i].unicode();
}

// The code point ending at `i` (exclusive).
char32_t codePointBefore(QStringView text, qsizetype i, int *units = nullptr)
{
    if (i >= 2 && text[i - 1].isLowSurrogate() && text[i - 2].isHighSurrogate()) {
        if (units)
            *units = 2;
        return QChar::surrogateToUcs4(text[i - 2], text[i - 1]);
    }
    if (units)
        *units = 1;
    return text[i - 1].unicode();
}

bool isWordChar(char32_t c)
{
    return QChar::isLetterOrNumber(c) || QChar::isMark(c);
}

// Apostrophes and hyphens join words ("O'Brien", "Hewlett-Packard") when
// a word character stands on both sides.
bool isJoiner(char32_t c) { return c == U'\'' || c == U'\u2019' || c == U'-' || c == U'\u2010'; }

bool insideWord(QStringView text, qsizetype i)
{
    if (i <= 0 || i >= text.size())
        return false;
    char32_t before = codePointBefore(text, i);
    char32_t after = codePointAt(text, i);
    if (isWordChar(before) && isWordChar(after))
        return true;
    if (isJoiner(after) && isWordChar(before) && i + 1 < text.size()) {
        int units = 0;
        codePointAt(text, i, &units);
        return i + units < text.size() && isWordChar(codePointAt(text, i + units));
    }
    if (isJoiner(before) && isWordChar(after)) {
        int units = 0;
        codePointBefore(text, i, &units);
        return i - units > 0 && isWordChar(codePointBefore(text, i - units));
    }
    return false;
}

// True when text[dot] is a full stop closing an abbreviation such as
// "Inc." or "Jr.": at most three letters, the first upper-case.
bool closesAbbreviation(QStringView text, qsizetype dot)
{
    qsizetype s = dot;
    while (s > 0 && text[s - 1].isLetter())
        --s;
    const qsizetype n = dot - s;
    return n >= 1 && n <= 3 && text[s].isUpper();
}

} // namespace

std::pair<qsizetype, qsizetype> snapToWords(QStringView text, qsizetype start, qsizetype end)
{
    start = std::clamp<qsizetype>(start, 0, text.size());
    end = std::clamp<qsizetype>(end, 0, text.size());
    if (start > end)
        std::swap(start, end);
    // Never begin or end between the halves of a surrogate pair.
    if (start > 0 && start < text.size() && text[start].isLowSurrogate() && text[start - 1].isHighSurrogate())
        --start;
    if (end > 0 && end < text.size() && text[end].isLowSurrogate() && text[end - 1].isHighSurrogate())
        ++end;

    // Drop what is not part of a word at both ends.
    while (start < end) {
        int units = 0;
        if (isWordChar(codePointAt(text, start, &units)))
            break;
        start += units;
    }
    while (end > start) {
        int units = 0;
        const char32_t c = codePointBefore(text, end, &units);
        if (isWordChar(c) || (c == U'.' && closesAbbreviation(text, end - 1)))
            break;
        end -= units;
    }
    if (start == end)
        return {start, start};

    // Grow to the edges of the words the selection cuts.
    while (insideWord(text, start)) {
        int units = 0;
        codePointBefore(text, start, &units);
        start -= units;
    }
    while (insideWord(text, end)) {
        int units = 0;
        codePointAt(text, end, &units);
        end += units;
    }
    return {start, end};
}

} // namespace lede::ui
