#include "ui/base/Utf16Index.h"

#include <algorithm>

namespace lede::ui {

Utf16Index::Utf16Index(QStringView text)
    : m_length(text.size())
{
    const QChar *data = text.data();
    for (qsizetype i = 0; i + 1 < m_length; ++i) {
        if (data[i].isHighSurrogate() && data[i + 1].isLowSurrogate()) {
            m_astral.push_back(i);
            ++i;
        }
    }
}

qsizetype Utf16Index::utf16Offset(std::int64_t codePoint) const
{
    codePoint = std::clamp<std::int64_t>(codePoint, 0, codePoints());
    // The k-th pair starts at code point m_astral[k] - k, which grows with
    // k; the pairs before `codePoint` each add one unit.
    std::size_t lo = 0;
    std::size_t hi = m_astral.size();
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (m_astral[mid] - static_cast<qsizetype>(mid) < codePoint)
            lo = mid + 1;
        else
            hi = mid;
    }
    return static_cast<qsizetype>(codePoint) + static_cast<qsizetype>(lo);
}

std::int64_t Utf16Index::codePointOffset(qsizetype utf16) const
{
    utf16 = std::clamp<qsizetype>(utf16, 0, m_length);
    // Every pair starting before `utf16` counts one unit too many. For an
    // offset inside a pair that leaves the pair's own code point, which is
    // the rounding down the contract promises.
    const auto pairs = std::lower_bound(m_astral.begin(), m_astral.end(), utf16) - m_astral.begin();
    return static_cast<std::int64_t>(utf16) - static_cast<std::int64_t>(pairs);
}

} // namespace lede::ui
