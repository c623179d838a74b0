#include "core/text/Text.h"

#include <unicode/normalizer2.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace lede::text {

std::size_t firstInvalidUtf8(std::string_view bytes)
{
    const auto *s = reinterpret_cast<const std::uint8_t *>(bytes.data());
    const std::size_t n = bytes.size();
    std::size_t i = 0;
    while (i < n) {
        const std::uint8_t c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len;
        std::uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + len > n)
            return i;
        for (std::size_t k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are rejected
        // so that every later code-point count agrees with ICU's.
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))
            || (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += len;
    }
    return std::string_view::npos;
}

bool isValidUtf8(std::string_view bytes) { return firstInvalidUtf8(bytes) == std::string_view::npos; }

std::string toValidUtf8(std::string_view bytes)
{
    if (isValidUtf8(bytes))
        return std::string(bytes);
    std::string out;
    out.reserve(bytes.size() + 8);
    const auto *s = reinterpret_cast<const std::uint8_t *>(bytes.data());
    const auto n = static_cast<std::int32_t>(std::min<std::size_t>(bytes.size(), INT32_MAX));
    for (std::int32_t i = 0; i < n;) {
        const std::int32_t at = i;
        UChar32 c;
        U8_NEXT(s, i, n, c);
        if (c < 0)
            out += "\xEF\xBF\xBD";
        else
            out.append(bytes.data() + at, static_cast<std::size_t>(i - at));
    }
    return out;
}

std::string forTerminal(std::string_view text, bool multiline)
{
    static constexpr char kHex[] = "0123456789abcdef";
    const std::string valid = toValidUtf8(text);
    std::string out;
    out.reserve(valid.size());
    const auto *s = reinterpret_cast<const std::uint8_t *>(valid.data());
    const auto n = static_cast<std::int32_t>(std::min<std::size_t>(valid.size(), INT32_MAX));
    for (std::int32_t i = 0; i < n;) {
        const std::int32_t at = i;
        UChar32 c;
        U8_NEXT(s, i, n, c);
        if (multiline && (c == '\n' || c == '\t')) {
            out.push_back(static_cast<char>(c));
        } else if (c < 0x20 || c == 0x7f) {
            out += "\\x";
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
        } else if ((c >= 0x80 && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "\\u{%x}", static_cast<unsigned>(c));
            out += buf;
        } else {
            out.append(valid.data() + at, static_cast<std::size_t>(i - at));
        }
    }
    return out;
}

std::u16string toUtf16(std::string_view utf8)
{
    std::u16string out;
    out.reserve(utf8.size());
    const auto *s = reinterpret_cast<const std::uint8_t *>(utf8.data());
    const auto n = static_cast<std::int32_t>(utf8.size());
    std::int32_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) { // most article text is ASCII
            out.push_back(static_cast<char16_t>(s[i++]));
            continue;
        }
        UChar32 c;
        U8_NEXT(s, i, n, c);
        appendUtf16(out, c < 0 ? 0xFFFD : static_cast<char32_t>(c));
    }
    return out;
}

void appendUtf8(std::string &out, char32_t c)
{
    const auto cp = static_cast<UChar32>(c);
    const UChar32 valid = c > 0x10FFFF || U_IS_SURROGATE(cp) ? 0xFFFD : cp;
    std::array<std::uint8_t, U8_MAX_LENGTH> buf{};
    std::int32_t len = 0;
    U8_APPEND_UNSAFE(buf.data(), len, valid);
    out.append(reinterpret_cast<const char *>(buf.data()), static_cast<std::size_t>(len));
}

std::string toUtf8(std::u16string_view utf16)
{
    std::string out;
    out.reserve(utf16.size() + utf16.size() / 4);
    const auto *s = reinterpret_cast<const UChar *>(utf16.data());
    const auto n = static_cast<std::int32_t>(utf16.size());
    std::int32_t i = 0;
    while (i < n) {
        UChar32 c;
        U16_NEXT(s, i, n, c);
        appendUtf8(out, static_cast<char32_t>(c));
    }
    return out;
}

std::string normalize(std::string_view utf8)
{
    std::string out(utf8);
    normalizeInPlace(out);
    return out;
}

void normalizeInPlace(std::string &utf8)
{
    // Line ends first, in place: the text only shrinks.
    std::size_t to = 0;
    for (std::size_t i = utf8.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0; i < utf8.size(); ++i) {
        const char c = utf8[i];
        if (c == '\r') {
            utf8[to++] = '\n';
            if (i + 1 < utf8.size() && utf8[i + 1] == '\n')
                ++i;
        } else {
            utf8[to++] = c;
        }
    }
    utf8.resize(to);

    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2 *nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status))
        return;
    // Most articles are already NFC: checked on the UTF-8 itself.
    if (nfc->isNormalizedUTF8(icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())), status)
        && U_SUCCESS(status))
        return;

    status = U_ZERO_ERROR;
    const UNormalizer2 *cnfc = unorm2_getNFCInstance(&status);
    if (U_FAILURE(status))
        return;
    const std::u16string wide = toUtf16(utf8);
    const auto *src = reinterpret_cast<const UChar *>(wide.data());
    const auto len = static_cast<std::int32_t>(wide.size());
    std::u16string normalized(wide.size() + wide.size() / 2 + 16, u'\0');
    std::int32_t outLen = unorm2_normalize(cnfc, src, len, reinterpret_cast<UChar *>(normalized.data()),
                                           static_cast<std::int32_t>(normalized.size()), &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
        status = U_ZERO_ERROR;
        normalized.assign(static_cast<std::size_t>(outLen), u'\0');
        outLen = unorm2_normalize(cnfc, src, len, reinterpret_cast<UChar *>(normalized.data()), outLen, &status);
    }
    if (U_FAILURE(status))
        return;
    normalized.resize(static_cast<std::size_t>(outLen));
    utf8 = toUtf8(normalized);
}

std::size_t partEnd(std::string_view utf8, std::size_t from, std::size_t lookahead)
{
    if (from >= utf8.size())
        return utf8.size();
    const std::string_view ahead = utf8.substr(from, lookahead);
    for (const std::string_view gap : {std::string_view("\n\n"), std::string_view("\n"), std::string_view(" ")})
        if (const std::size_t at = ahead.find(gap); at != std::string_view::npos)
            return from + at + gap.size();
    std::size_t end = from;
    while (end < utf8.size() && (static_cast<unsigned char>(utf8[end]) & 0xC0) == 0x80)
        ++end;
    return end;
}

std::size_t codePointCount(std::string_view utf8)
{
    std::size_t count = 0;
    for (const char c : utf8)
        count += (static_cast<std::uint8_t>(c) & 0xC0) != 0x80;
    return count;
}

std::string_view sliceCodePoints(std::string_view utf8, std::size_t start, std::size_t end)
{
    std::size_t cp = 0;
    std::size_t startByte = utf8.size();
    std::size_t endByte = utf8.size();
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        if ((static_cast<std::uint8_t>(utf8[i]) & 0xC0) == 0x80)
            continue;
        if (cp == start)
            startByte = i;
        if (cp == end) {
            endByte = i;
            break;
        }
        ++cp;
    }
    if (startByte > endByte)
        return {};
    return utf8.substr(startByte, endByte - startByte);
}

std::string_view trim(std::string_view utf8)
{
    auto isSpaceAt = [&](std::size_t pos, std::size_t &len, bool backwards) {
        const auto *s = reinterpret_cast<const std::uint8_t *>(utf8.data());
        auto n = static_cast<std::int32_t>(utf8.size());
        auto i = static_cast<std::int32_t>(pos);
        UChar32 c;
        if (backwards) {
            U8_PREV(s, 0, i, c);
            len = pos - static_cast<std::size_t>(i);
        } else {
            U8_NEXT(s, i, n, c);
            len = static_cast<std::size_t>(i) - pos;
        }
        return c >= 0 && (u_isUWhiteSpace(c) || c == 0xFEFF || c == 0x200B);
    };
    std::size_t begin = 0, end = utf8.size(), len = 0;
    while (begin < end && isSpaceAt(begin, len, false))
        begin += len;
    while (end > begin && isSpaceAt(end, len, true))
        end -= len;
    return utf8.substr(begin, end - begin);
}

bool LineReader::next(std::string_view &line)
{
    if (m_pos >= m_text.size())
        return false;
    std::size_t nl = m_text.find('\n', m_pos);
    if (nl == std::string_view::npos)
        nl = m_text.size();
    line = m_text.substr(m_pos, nl - m_pos);
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    m_pos = nl + 1;
    ++m_number;
    return true;
}

void appendUtf16(std::u16string &out, char32_t c)
{
    if (c <= 0xFFFF) {
        out.push_back(static_cast<char16_t>(c));
    } else {
        out.push_back(static_cast<char16_t>(U16_LEAD(c)));
        out.push_back(static_cast<char16_t>(U16_TRAIL(c)));
    }
}

std::string clipTitle(std::string_view title)
{
    return std::string(trim(sliceCodePoints(trim(title), 0, kMaxTitleLength)));
}

std::string firstLineTitle(std::string_view utf8)
{
    LineReader lines(utf8);
    for (std::string_view line; lines.next(line);)
        if (!trim(line).empty())
            return clipTitle(line);
    return {};
}

OffsetIndex::OffsetIndex(std::string_view utf8)
    : m_text(utf8)
{
    std::uint32_t utf16 = 0;
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        const auto c = static_cast<std::uint8_t>(utf8[i]);
        if ((c & 0xC0) == 0x80)
            continue;
        if (m_codePoints % kStride == 0)
            m_checkpoints.push_back({static_cast<std::uint32_t>(i), utf16});
        ++m_codePoints;
        utf16 += c >= 0xF0 ? 2 : 1;
    }
    if (m_codePoints % kStride == 0)
        m_checkpoints.push_back({static_cast<std::uint32_t>(utf8.size()), utf16});
}

std::size_t OffsetIndex::byteOffset(std::size_t codePoint) const
{
    if (codePoint >= m_codePoints)
        return m_text.size();
    const Checkpoint &cp = m_checkpoints[codePoint / kStride];
    std::size_t byte = cp.byte;
    for (std::size_t left = codePoint % kStride; left > 0; --left) {
        ++byte;
        while (byte < m_text.size() && (static_cast<std::uint8_t>(m_text[byte]) & 0xC0) == 0x80)
            ++byte;
    }
    return byte;
}

std::size_t OffsetIndex::utf16Offset(std::size_t codePoint) const
{
    if (codePoint > m_codePoints)
        codePoint = m_codePoints;
    const Checkpoint &cp = m_checkpoints[codePoint / kStride];
    std::size_t byte = cp.byte;
    std::size_t utf16 = cp.utf16;
    for (std::size_t left = codePoint % kStride; left > 0; --left) {
        utf16 += static_cast<std::uint8_t>(m_text[byte]) >= 0xF0 ? 2 : 1;
        ++byte;
        while (byte < m_text.size() && (static_cast<std::uint8_t>(m_text[byte]) & 0xC0) == 0x80)
            ++byte;
    }
    return utf16;
}

std::string_view OffsetIndex::slice(std::size_t start, std::size_t end) const
{
    const std::size_t a = byteOffset(start);
    const std::size_t b = byteOffset(end);
    return b > a ? m_text.substr(a, b - a) : std::string_view{};
}

std::string nowIso8601()
{
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::optional<std::int64_t> parseIso8601(std::string_view text)
{
    // Digits at fixed places: YYYY-MM-DDTHH:MM:SS, then an optional Z.
    if (text.size() == 20 && text[19] == 'Z')
        text.remove_suffix(1);
    if (text.size() != 19 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != ' ') || text[13] != ':'
        || text[16] != ':')
        return std::nullopt;
    auto number = [&](std::size_t at, std::size_t digits) -> int {
        int v = 0;
        for (std::size_t i = at; i < at + digits; ++i) {
            if (text[i] < '0' || text[i] > '9')
                return -1;
            v = v * 10 + (text[i] - '0');
        }
        return v;
    };
    std::tm tm{};
    tm.tm_year = number(0, 4) - 1900;
    tm.tm_mon = number(5, 2) - 1;
    tm.tm_mday = number(8, 2);
    tm.tm_hour = number(11, 2);
    tm.tm_min = number(14, 2);
    tm.tm_sec = number(17, 2);
    if (tm.tm_year < -1900 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour < 0
        || tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 || tm.tm_sec < 0 || tm.tm_sec > 60)
        return std::nullopt;
    return static_cast<std::int64_t>(timegm(&tm));
}

// SHA-256 (FIPS 180-4). Content hashes identify duplicate articles; a
// small local implementation keeps core free of a crypto dependency.
namespace {

constexpr std::array<std::uint32_t, 64> kRound = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr std::uint32_t rotr(std::uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

void compress(std::array<std::uint32_t, 8> &h, const std::uint8_t *block)
{
    std::array<std::uint32_t, 64> w{};
    for (int i = 0; i < 16; ++i)
        w[i] = (std::uint32_t(block[4 * i]) << 24) | (std::uint32_t(block[4 * i + 1]) << 16)
            | (std::uint32_t(block[4 * i + 2]) << 8) | std::uint32_t(block[4 * i + 3]);
    for (int i = 16; i < 64; ++i) {
        const std::uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        const std::uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int i = 0; i < 64; ++i) {
        const std::uint32_t s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        const std::uint32_t ch = (e & f) ^ (~e & g);
        const std::uint32_t t1 = k + s1 + ch + kRound[i] + w[i];
        const std::uint32_t s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        const std::uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        const std::uint32_t t2 = s0 + maj;
        k = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += k;
}

} // namespace

std::string sha256Hex(std::string_view bytes)
{
    std::array<std::uint32_t, 8> h = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    const auto *data = reinterpret_cast<const std::uint8_t *>(bytes.data());
    std::size_t n = bytes.size();
    std::size_t off = 0;
    for (; off + 64 <= n; off += 64)
        compress(h, data + off);

    std::array<std::uint8_t, 128> tail{};
    const std::size_t rest = n - off;
    std::memcpy(tail.data(), data + off, rest);
    tail[rest] = 0x80;
    const std::size_t tailLen = rest + 9 <= 64 ? 64 : 128;
    const std::uint64_t bits = static_cast<std::uint64_t>(n) * 8;
    for (int i = 0; i < 8; ++i)
        tail[tailLen - 1 - i] = static_cast<std::uint8_t>(bits >> (8 * i));
    for (std::size_t b = 0; b < tailLen; b += 64)
        compress(h, tail.data() + b);

    static constexpr char kHex[] = "0123456789abcdef";
    std::string out(64, '0');
    for (int i = 0; i < 8; ++i)
        for (int j = 0; j < 4; ++j) {
            const auto byte = static_cast<std::uint8_t>(h[i] >> (24 - 8 * j));
            out[8 * i + 2 * j] = kHex[byte >> 4];
            out[8 * i + 2 * j + 1] = kHex[byte & 15];
        }
    return out;
}

} // namespace lede::text
