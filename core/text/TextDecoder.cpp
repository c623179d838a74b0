#include "core/text/TextDecoder.h"

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>
#include <unicode/utypes.h>

#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <optional>
#include <vector>

namespace lede {
namespace {

// ICU takes lengths as int32_t. Text becomes at most three UTF-8 bytes per
// UTF-16 unit, so keeping every ICU-bound input under a quarter of INT32_MAX
// keeps each intermediate length representable. Files that big are not news
// articles; the UTF-8 path needs no ICU and has no such limit.
constexpr std::size_t kMaxIcuInputBytes = 256u * 1024u * 1024u;

// The detector only needs a sample; its statistics settle long before this.
constexpr std::size_t kDetectionSampleBytes = 1024u * 1024u;

// ICU's multi-byte recognisers report exactly 10 for input that merely does
// not contradict them (plain ASCII with a few stray high bytes), and the
// single-byte ones report single digits for noise. Only a result above that
// floor is evidence of an encoding.
constexpr int32_t kMinDetectorConfidence = 11;

struct ConverterCloser {
    void operator()(UConverter *converter) const { ucnv_close(converter); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

struct DetectorCloser {
    void operator()(UCharsetDetector *detector) const { ucsdet_close(detector); }
};
using DetectorPtr = std::unique_ptr<UCharsetDetector, DetectorCloser>;

bool startsWith(std::string_view bytes, std::string_view prefix)
{
    return bytes.substr(0, prefix.size()) == prefix;
}

// Returns the length of the well-formed UTF-8 sequence at `bytes[i]`, or 0
// if none starts there. Well-formed follows Unicode Table 3-7: no overlong
// forms, no surrogates, nothing above U+10FFFF.
std::size_t utf8SequenceLength(std::string_view bytes, std::size_t i)
{
    const auto *s = reinterpret_cast<const unsigned char *>(bytes.data());
    const std::size_t n = bytes.size();
    const unsigned char lead = s[i];
    if (lead < 0x80)
        return 1;
    std::size_t trailCount = 0;
    unsigned char secondLow = 0x80;
    unsigned char secondHigh = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        trailCount = 1;
    } else if (lead == 0xE0) {
        trailCount = 2;
        secondLow = 0xA0;
    } else if (lead == 0xED) {
        trailCount = 2;
        secondHigh = 0x9F;
    } else if (lead >= 0xE1 && lead <= 0xEF) {
        trailCount = 2;
    } else if (lead == 0xF0) {
        trailCount = 3;
        secondLow = 0x90;
    } else if (lead >= 0xF1 && lead <= 0xF3) {
        trailCount = 3;
    } else if (lead == 0xF4) {
        trailCount = 3;
        secondHigh = 0x8F;
    } else {
        return 0;
    }
    if (n - i <= trailCount)
        return 0;
    if (s[i + 1] < secondLow || s[i + 1] > secondHigh)
        return 0;
    for (std::size_t k = 2; k <= trailCount; ++k) {
        if (s[i + k] < 0x80 || s[i + k] > 0xBF)
            return 0;
    }
    return trailCount + 1;
}

// Returns the offset of the first byte that does not start a well-formed
// UTF-8 sequence, or npos when the whole input is well formed.
std::size_t firstInvalidUtf8(std::string_view bytes)
{
    std::size_t i = 0;
    while (i < bytes.size()) {
        const std::size_t length = utf8SequenceLength(bytes, i);
        if (length == 0)
            return i;
        i += length;
    }
    return std::string_view::npos;
}

// True when the multi-byte UTF-8 sequences in `bytes` outnumber the bytes
// that fit no sequence. Legacy 8-bit text almost never forms a valid
// multi-byte sequence by accident (it takes a lead byte followed by exactly
// the right number of 0x80-0xBF bytes), so such a file is UTF-8 with a few
// corrupt bytes, and reading it as windows-1252 would garble every
// non-ASCII character in it.
bool mostlyUtf8(std::string_view bytes)
{
    std::size_t multiByte = 0;
    std::size_t invalid = 0;
    std::size_t i = 0;
    while (i < bytes.size()) {
        const std::size_t length = utf8SequenceLength(bytes, i);
        if (length == 0) {
            ++invalid;
            ++i;
            continue;
        }
        if (length > 1)
            ++multiByte;
        i += length;
    }
    return multiByte > invalid;
}

bool isAllowedControl(unsigned char c)
{
    return c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// The share test counts code points, not bytes, so that text in a script
// written with multi-byte characters is not judged more leniently than
// ASCII. `utf8` must be well-formed UTF-8.
std::optional<Error> binaryEvidenceInUtf8(std::string_view utf8)
{
    std::size_t codePoints = 0;
    std::size_t controls = 0;
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c & 0xC0) == 0x80)
            continue;
        ++codePoints;
        if (c == 0)
            return makeError("binary file (contains NUL characters)");
        if (c < 0x20 && !isAllowedControl(c))
            ++controls;
    }
    if (controls * 10 > codePoints)
        return makeError("binary file (too many control characters)");
    return std::nullopt;
}

// The same test on raw bytes of an unknown legacy encoding: every encoding
// the detector can return keeps C0 bytes as C0 controls, so a byte count is
// a fair early verdict before the detector guesses at noise.
bool tooManyControlBytes(std::string_view bytes)
{
    std::size_t controls = 0;
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 && !isAllowedControl(c))
            ++controls;
    }
    return controls * 10 > bytes.size();
}

bool hasC1Bytes(std::string_view bytes)
{
    for (const char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x80 && c <= 0x9F)
            return true;
    }
    return false;
}

// Converts `bytes` from `charset` to UTF-8 with ICU. Any byte sequence that
// is illegal or unmapped in the charset, and any unpaired surrogate in the
// result, fails the conversion instead of being replaced, so that a wrong
// guess of the encoding shows up as an error rather than as U+FFFD noise.
Result<std::string> convertToUtf8(std::string_view bytes, const char *charset)
{
    const std::string name(charset);
    if (bytes.size() > kMaxIcuInputBytes)
        return makeError("file is too large to convert from " + name + " (over 256 MiB)", ErrorKind::InvalidInput);
    if (bytes.empty())
        return std::string();

    UErrorCode status = U_ZERO_ERROR;
    ConverterPtr converter(ucnv_open(charset, &status));
    if (U_FAILURE(status) || !converter)
        return makeError("cannot convert from " + name + " (" + u_errorName(status) + ")");
    ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr,
                        &status);
    if (U_FAILURE(status))
        return makeError("cannot convert from " + name + " (" + u_errorName(status) + ")");

    const auto sourceLength = static_cast<int32_t>(bytes.size());
    status = U_ZERO_ERROR;
    const int32_t unitCount =
        ucnv_toUChars(converter.get(), nullptr, 0, bytes.data(), sourceLength, &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
        return makeError("the text is not valid " + name);
    if (unitCount == 0)
        return std::string();
    if (unitCount < 0 || static_cast<std::size_t>(unitCount) > kMaxIcuInputBytes)
        return makeError("cannot convert from " + name);

    // One spare unit leaves room for ICU's terminating NUL, which keeps it
    // from reporting U_STRING_NOT_TERMINATED_WARNING.
    std::vector<UChar> units(static_cast<std::size_t>(unitCount) + 1);
    status = U_ZERO_ERROR;
    const int32_t written = ucnv_toUChars(converter.get(), units.data(),
                                          static_cast<int32_t>(units.size()), bytes.data(),
                                          sourceLength, &status);
    if (U_FAILURE(status) || written != unitCount)
        return makeError("the text is not valid " + name);

    status = U_ZERO_ERROR;
    int32_t utf8Length = 0;
    u_strToUTF8(nullptr, 0, &utf8Length, units.data(), unitCount, &status);
    if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
        return makeError("the " + name + " text contains an unpaired surrogate");
    if (utf8Length <= 0)
        return makeError("cannot convert from " + name);

    std::string utf8(static_cast<std::size_t>(utf8Length) + 1, '\0');
    status = U_ZERO_ERROR;
    u_strToUTF8(utf8.data(), static_cast<int32_t>(utf8.size()), &utf8Length, units.data(),
                unitCount, &status);
    if (U_FAILURE(status) || utf8Length < 0 || static_cast<std::size_t>(utf8Length) >= utf8.size())
        return makeError("the " + name + " text contains an unpaired surrogate");
    utf8.resize(static_cast<std::size_t>(utf8Length));
    return utf8;
}

// ICU's converters accept unpaired surrogates in some modes and report them
// without a usable position in others; checking the code units here gives
// the user a byte offset to look at. `offsetBase` is where `units` begins in
// the file (after the byte-order mark).
std::optional<Error> checkUtf16(std::string_view units, bool bigEndian, std::size_t offsetBase)
{
    if (units.size() % 2 != 0)
        return makeError("truncated UTF-16 text (odd number of bytes)");
    const auto *s = reinterpret_cast<const unsigned char *>(units.data());
    const auto unitAt = [&](std::size_t i) -> unsigned {
        return bigEndian ? (unsigned(s[i]) << 8) | s[i + 1] : (unsigned(s[i + 1]) << 8) | s[i];
    };
    for (std::size_t i = 0; i < units.size(); i += 2) {
        const unsigned unit = unitAt(i);
        if (unit >= 0xD800 && unit <= 0xDBFF) {
            if (i + 2 >= units.size())
                return makeError("truncated UTF-16 text (high surrogate at byte offset " +
                                 std::to_string(offsetBase + i) + " ends the file)");
            const unsigned next = unitAt(i + 2);
            if (next < 0xDC00 || next > 0xDFFF)
                return makeError("malformed UTF-16 text (unpaired surrogate at byte offset " +
                                 std::to_string(offsetBase + i) + ")");
            i += 2;
        } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
            return makeError("malformed UTF-16 text (unpaired surrogate at byte offset " +
                             std::to_string(offsetBase + i) + ")");
        }
    }
    return std::nullopt;
}

Result<DecodedText> finish(std::string text, std::string encoding)
{
    if (auto error = binaryEvidenceInUtf8(text))
        return *error;
    return DecodedText{std::move(text), std::move(encoding)};
}

Result<DecodedText> decodeWithBom(std::string_view payload, const char *charset)
{
    if (payload.empty())
        return makeError("empty file");
    Result<std::string> converted = convertToUtf8(payload, charset);
    if (!converted)
        return converted.error();
    return finish(std::move(converted).value(), charset);
}

bool isAcceptableLegacyCharset(std::string_view name)
{
    // Unicode forms are excluded because a BOM-less file that reached the
    // detector is neither valid UTF-8 nor (having no NUL bytes) plausible
    // UTF-16/32. The ISO-2022 family is 7-bit and so would have been valid
    // UTF-8, and ICU ships no converter for its IBM420/IBM424 results.
    static constexpr std::string_view kAccepted[] = {
        "ISO-8859-1",   "ISO-8859-2",   "ISO-8859-5", "ISO-8859-6", "ISO-8859-7",
        "ISO-8859-8",   "ISO-8859-8-I", "ISO-8859-9", "windows-1250", "windows-1251",
        "windows-1252", "windows-1253", "windows-1254", "windows-1255", "windows-1256",
        "KOI8-R",       "Shift_JIS",    "EUC-JP",     "EUC-KR",     "GB18030",
        "Big5",
    };
    for (const std::string_view accepted : kAccepted) {
        if (name == accepted)
            return true;
    }
    return false;
}

// windows-1252 agrees with ISO-8859-1 on every printable character and gives
// 0x80-0x9F the punctuation (curly quotes, dashes, the euro sign) that text
// labelled Latin-1 nearly always means by them; ISO-8859-1 would turn them
// into invisible C1 controls.
std::string preferWindows1252(std::string name, bool c1Bytes)
{
    if (c1Bytes && name == "ISO-8859-1")
        return "windows-1252";
    return name;
}

// When the detector has no evidence (short text, a handful of accented
// letters), text that is mostly ASCII is far more likely to be Western
// European than anything else.
bool looksLikeLatinText(std::string_view bytes)
{
    std::size_t ascii = 0;
    for (const char ch : bytes) {
        if (static_cast<unsigned char>(ch) < 0x80)
            ++ascii;
    }
    return ascii * 10 >= bytes.size() * 7;
}

Result<DecodedText> decodeLegacy(std::string_view bytes)
{
    if (tooManyControlBytes(bytes))
        return makeError("binary file (too many control characters)");
    if (bytes.size() > kMaxIcuInputBytes)
        return makeError("file is too large to decode (over 256 MiB in a legacy encoding)", ErrorKind::InvalidInput);

    const bool c1Bytes = hasC1Bytes(bytes);
    std::vector<std::string> candidates;

    UErrorCode status = U_ZERO_ERROR;
    DetectorPtr detector(ucsdet_open(&status));
    if (U_SUCCESS(status) && detector) {
        const std::string_view sample = bytes.substr(0, kDetectionSampleBytes);
        // The input filter lets HTML markup, which is ASCII, not drown the
        // statistics of the text between the tags.
        ucsdet_enableInputFilter(detector.get(), true);
        ucsdet_setText(detector.get(), sample.data(), static_cast<int32_t>(sample.size()),
                       &status);
        int32_t matchCount = 0;
        const UCharsetMatch **matches =
            U_SUCCESS(status) ? ucsdet_detectAll(detector.get(), &matchCount, &status) : nullptr;
        if (U_SUCCESS(status) && matches) {
            for (int32_t i = 0; i < matchCount; ++i) {
                UErrorCode matchStatus = U_ZERO_ERROR;
                const char *name = ucsdet_getName(matches[i], &matchStatus);
                const int32_t confidence = ucsdet_getConfidence(matches[i], &matchStatus);
                if (U_FAILURE(matchStatus) || !name)
                    continue;
                if (confidence < kMinDetectorConfidence || !isAcceptableLegacyCharset(name))
                    continue;
                candidates.push_back(preferWindows1252(name, c1Bytes));
            }
        }
    }
    if (looksLikeLatinText(bytes))
        candidates.push_back(c1Bytes ? "windows-1252" : "ISO-8859-1");

    // A detector guess can still be wrong in a way the bytes betray (an
    // illegal multi-byte sequence, an unmapped code); the next guess is tried
    // before giving up.
    for (const std::string &candidate : candidates) {
        Result<std::string> converted = convertToUtf8(bytes, candidate.c_str());
        if (!converted)
            continue;
        return finish(std::move(converted).value(), candidate);
    }
    return makeError("cannot determine the text encoding");
}

// `owned`, when given, holds `bytes`, and is taken for UTF-8 text rather
// than copied.
Result<DecodedText> decodeUnchecked(std::string_view bytes, std::string *owned)
{
    if (bytes.empty())
        return makeError("empty file");

    static constexpr std::string_view kUtf8Bom{"\xEF\xBB\xBF", 3};
    static constexpr std::string_view kUtf32LeBom{"\xFF\xFE\x00\x00", 4};
    static constexpr std::string_view kUtf32BeBom{"\x00\x00\xFE\xFF", 4};
    static constexpr std::string_view kUtf16LeBom{"\xFF\xFE", 2};
    static constexpr std::string_view kUtf16BeBom{"\xFE\xFF", 2};

    if (startsWith(bytes, kUtf8Bom)) {
        const std::string_view payload = bytes.substr(kUtf8Bom.size());
        if (payload.empty())
            return makeError("empty file");
        const std::size_t bad = firstInvalidUtf8(payload);
        if (bad != std::string_view::npos)
            return makeError("invalid UTF-8 at byte offset " +
                             std::to_string(bad + kUtf8Bom.size()));
        return finish(std::string(payload), "UTF-8");
    }
    // UTF-32LE's mark begins with UTF-16LE's, so it is tested first; a
    // UTF-16LE file whose first character is U+0000 would be binary anyway.
    if (startsWith(bytes, kUtf32LeBom) || startsWith(bytes, kUtf32BeBom)) {
        const bool bigEndian = startsWith(bytes, kUtf32BeBom);
        const std::string_view payload = bytes.substr(4);
        if (payload.size() % 4 != 0)
            return makeError("truncated UTF-32 text (length is not a multiple of four bytes)");
        return decodeWithBom(payload, bigEndian ? "UTF-32BE" : "UTF-32LE");
    }
    if (startsWith(bytes, kUtf16LeBom) || startsWith(bytes, kUtf16BeBom)) {
        const bool bigEndian = startsWith(bytes, kUtf16BeBom);
        const std::string_view payload = bytes.substr(2);
        if (auto error = checkUtf16(payload, bigEndian, 2))
            return *error;
        return decodeWithBom(payload, bigEndian ? "UTF-16BE" : "UTF-16LE");
    }

    // Without a mark, a NUL byte cannot be text: UTF-16 without a BOM is not
    // supported, and no 8-bit encoding uses NUL for a character.
    if (std::memchr(bytes.data(), 0, bytes.size()) != nullptr)
        return makeError("binary file (contains NUL bytes)");

    // Valid UTF-8 is checked before any detection because legacy text that
    // happens to be valid UTF-8 is vanishingly rare, while the detector is
    // easily misled by short UTF-8 text.
    const std::size_t bad = firstInvalidUtf8(bytes);
    if (bad == std::string_view::npos)
        return finish(owned ? std::move(*owned) : std::string(bytes), "UTF-8");
    if (mostlyUtf8(bytes))
        return makeError("invalid UTF-8 at byte offset " + std::to_string(bad) +
                         " in text that is otherwise UTF-8");

    return decodeLegacy(bytes);
}

Result<DecodedText> decodeGuarded(std::string_view bytes, std::string *owned)
{
    // Allocation is the only thing that can throw here; it must not escape.
    try {
        return decodeUnchecked(bytes, owned);
    } catch (const std::bad_alloc &) {
        return makeError("not enough memory to decode the file");
    } catch (const std::exception &e) {
        return makeError(std::string("cannot decode the file (") + e.what() + ")");
    }
}

} // namespace

Result<DecodedText> decodeText(std::string_view bytes) { return decodeGuarded(bytes, nullptr); }

Result<DecodedText> decodeOwned(std::string &&bytes) { return decodeGuarded(bytes, &bytes); }

} // namespace lede
