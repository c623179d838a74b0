#include "core/text/Text.h"
#include "core/text/TextDecoder.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

using lede::decodeOwned;
using lede::decodeText;
namespace text = lede::text;

namespace {

std::string byteString(std::initializer_list<int> values)
{
    std::string out;
    for (const int value : values)
        out += static_cast<char>(value);
    return out;
}

// A strict UTF-8 check written independently of the decoder's, so that the
// robustness test does not trust the code it is testing.
bool isWellFormedUtf8(const std::string &s)
{
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::uint32_t cp = 0;
        std::size_t length = 0;
        if (c < 0x80) {
            cp = c;
            length = 1;
        } else if ((c & 0xE0) == 0xC0) {
            cp = c & 0x1F;
            length = 2;
        } else if ((c & 0xF0) == 0xE0) {
            cp = c & 0x0F;
            length = 3;
        } else if ((c & 0xF8) == 0xF0) {
            cp = c & 0x07;
            length = 4;
        } else {
            return false;
        }
        if (i + length > s.size())
            return false;
        for (std::size_t k = 1; k < length; ++k) {
            const auto t = static_cast<unsigned char>(s[i + k]);
            if ((t & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (t & 0x3F);
        }
        const std::uint32_t minimum[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < minimum[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += length;
    }
    return true;
}

} // namespace

TEST_CASE("decoder reads plain UTF-8 without a BOM")
{
    const auto result = decodeText("Caf\xC3\xA9 \xE2\x80\x9Cnews\xE2\x80\x9D \xF0\x9F\x98\x80\n");
    REQUIRE(result.ok());
    CHECK(result->encoding == "UTF-8");
    CHECK(result->text == "Caf\xC3\xA9 \xE2\x80\x9Cnews\xE2\x80\x9D \xF0\x9F\x98\x80\n");
}

TEST_CASE("decoder keeps CRLF line endings for the caller to normalise")
{
    const auto result = decodeText("one\r\ntwo\r\n");
    REQUIRE(result.ok());
    CHECK(result->text == "one\r\ntwo\r\n");
}

TEST_CASE("decoder strips a UTF-8 BOM")
{
    const auto result = decodeText("\xEF\xBB\xBFGr\xC3\xBC\xC3\x9F" "e");
    REQUIRE(result.ok());
    CHECK(result->encoding == "UTF-8");
    CHECK(result->text == "Gr\xC3\xBC\xC3\x9F" "e");
}

TEST_CASE("decoder reports the byte offset of invalid UTF-8 after a BOM")
{
    const auto result = decodeText("\xEF\xBB\xBF" "ab\xC3\x28" "cd");
    REQUIRE_FALSE(result.ok());
    CHECK(result.message() == "invalid UTF-8 at byte offset 5");
}

TEST_CASE("decoder rejects overlong forms, surrogates and truncated sequences after a BOM")
{
    CHECK_FALSE(decodeText("\xEF\xBB\xBF\xC0\xAF").ok());
    CHECK_FALSE(decodeText("\xEF\xBB\xBF\xE0\x80\xAF").ok());
    CHECK_FALSE(decodeText("\xEF\xBB\xBF\xED\xA0\x80").ok());
    CHECK_FALSE(decodeText("\xEF\xBB\xBF\xF4\x90\x80\x80").ok());
    CHECK_FALSE(decodeText("\xEF\xBB\xBFok\xE2\x82").ok());
}

TEST_CASE("decoder reports a stray byte in otherwise UTF-8 text instead of garbling it")
{
    const auto result = decodeText("Caf\xC3\xA9 na\xC3\xAFve r\xC3\xA9sum\xC3\xA9 \xE9t\xC3\xA9");
    REQUIRE_FALSE(result.ok());
    CHECK(result.message() == "invalid UTF-8 at byte offset 22 in text that is otherwise UTF-8");
}

TEST_CASE("decoder reads UTF-16LE with a BOM, including a surrogate pair")
{
    // "Hi 😀" with U+1F600 as D83D DE00.
    const std::string bytes =
        byteString({0xFF, 0xFE, 'H', 0, 'i', 0, ' ', 0, 0x3D, 0xD8, 0x00, 0xDE});
    const auto result = decodeText(bytes);
    REQUIRE(result.ok());
    CHECK(result->encoding == "UTF-16LE");
    CHECK(result->text == "Hi \xF0\x9F\x98\x80");
}

TEST_CASE("decoder reads UTF-16BE with a BOM, including a surrogate pair")
{
    const std::string bytes =
        byteString({0xFE, 0xFF, 0, 'H', 0, 'i', 0, ' ', 0xD8, 0x3D, 0xDE, 0x00, 0x00, 0xE9});
    const auto result = decodeText(bytes);
    REQUIRE(result.ok());
    CHECK(result->encoding == "UTF-16BE");
    CHECK(result->text == "Hi \xF0\x9F\x98\x80\xC3\xA9");
}

TEST_CASE("decoder rejects truncated UTF-16")
{
    SECTION("odd number of bytes")
    {
        const auto result = decodeText(byteString({0xFF, 0xFE, 'a', 0, 'b'}));
        REQUIRE_FALSE(result.ok());
        CHECK(result.message() == "truncated UTF-16 text (odd number of bytes)");
    }
    SECTION("high surrogate at the end")
    {
        const auto result = decodeText(byteString({0xFE, 0xFF, 0, 'a', 0xD8, 0x3D}));
        REQUIRE_FALSE(result.ok());
        CHECK(result.message().find("truncated UTF-16") == 0);
    }
}

TEST_CASE("decoder rejects unpaired UTF-16 surrogates with their byte offset")
{
    const auto lowAlone = decodeText(byteString({0xFF, 0xFE, 'a', 0, 0x00, 0xDC, 'b', 0}));
    REQUIRE_FALSE(lowAlone.ok());
    CHECK(lowAlone.message() == "malformed UTF-16 text (unpaired surrogate at byte offset 4)");

    const auto highThenLetter = decodeText(byteString({0xFE, 0xFF, 0xD8, 0x3D, 0, 'x'}));
    REQUIRE_FALSE(highThenLetter.ok());
    CHECK(highThenLetter.message() == "malformed UTF-16 text (unpaired surrogate at byte offset 2)");
}

TEST_CASE("decoder reads UTF-32LE with a BOM")
{
    const auto result =
        decodeText(byteString({0xFF, 0xFE, 0, 0, 'o', 0, 0, 0, 'k', 0, 0, 0, 0x00, 0xF6, 0x01, 0x00}));
    REQUIRE(result.ok());
    CHECK(result->encoding == "UTF-32LE");
    CHECK(result->text == "ok\xF0\x9F\x98\x80");
}

TEST_CASE("decoder reads Windows-1252 Telefónica")
{
    const auto result = decodeText("Telef\xF3nica signed the accord.");
    REQUIRE(result.ok());
    CHECK(result->text == "Telef\xC3\xB3nica signed the accord.");
    CHECK((result->encoding == "ISO-8859-1" || result->encoding == "windows-1252"));
}

TEST_CASE("decoder reads Windows-1252 curly quotes")
{
    const auto result = decodeText("\x93quoted\x94 text from Microsoft\x92s blog");
    REQUIRE(result.ok());
    CHECK(result->encoding == "windows-1252");
    CHECK(result->text == "\xE2\x80\x9Cquoted\xE2\x80\x9D text from Microsoft\xE2\x80\x99s blog");
}

TEST_CASE("decoder maps ISO-8859-1 to windows-1252 when bytes 0x80-0x9F occur")
{
    // German prose that the detector reads as Latin-1, plus an en dash and
    // a euro sign that only windows-1252 defines.
    const auto result = decodeText("Der M\xFCnchner B\xFCrgermeister sagte \x96 gr\xFC\xDF"
                                   "end \x80 5 \x96 die Stra\xDF"
                                   "e wird gesperrt.");
    REQUIRE(result.ok());
    CHECK(result->encoding == "windows-1252");
    CHECK(result->text == "Der M\xC3\xBCnchner B\xC3\xBCrgermeister sagte \xE2\x80\x93 "
                          "gr\xC3\xBC\xC3\x9F"
                          "end \xE2\x82\xAC 5 \xE2\x80\x93 die Stra\xC3\x9F"
                          "e wird gesperrt.");
}

TEST_CASE("decoder reads ISO-8859-1 German text")
{
    const auto result =
        decodeText("Der M\xFCnchner B\xFCrgermeister sagte, da\xDF die Stra\xDF"
                   "e gesperrt wird.");
    REQUIRE(result.ok());
    CHECK(result->encoding == "ISO-8859-1");
    CHECK(result->text == "Der M\xC3\xBCnchner B\xC3\xBCrgermeister sagte, da\xC3\x9F die "
                          "Stra\xC3\x9F"
                          "e gesperrt wird.");
}

TEST_CASE("decoder falls back to Latin-1 for short mostly-ASCII text")
{
    const auto result = decodeText("caf\xE9");
    REQUIRE(result.ok());
    CHECK(result->encoding == "ISO-8859-1");
    CHECK(result->text == "caf\xC3\xA9");
}

TEST_CASE("decoder detects windows-1251 Russian text")
{
    const auto result = decodeText(
        "\xcf\xf0\xe0\xe2\xe8\xf2\xe5\xeb\xfc\xf1\xf2\xe2\xee \xee\xe1\xfa\xff\xe2\xe8\xeb\xee "
        "\xee \xed\xee\xe2\xfb\xf5 \xec\xe5\xf0\xe0\xf5 \xef\xee\xe4\xe4\xe5\xf0\xe6\xea\xe8 "
        "\xfd\xea\xee\xed\xee\xec\xe8\xea\xe8 \xe8 \xee\xe1\xf0\xe0\xe7\xee\xe2\xe0\xed\xe8\xff.");
    REQUIRE(result.ok());
    CHECK(result->encoding == "windows-1251");
    // "Правительство объявило"
    CHECK(result->text.rfind("\xD0\x9F\xD1\x80\xD0\xB0\xD0\xB2\xD0\xB8\xD1\x82\xD0\xB5\xD0\xBB"
                             "\xD1\x8C\xD1\x81\xD1\x82\xD0\xB2\xD0\xBE \xD0\xBE\xD0\xB1\xD1\x8A"
                             "\xD1\x8F\xD0\xB2\xD0\xB8\xD0\xBB\xD0\xBE",
                             0) == 0);
}

TEST_CASE("decoder rejects an empty file")
{
    const auto result = decodeText("");
    REQUIRE_FALSE(result.ok());
    CHECK(result.message() == "empty file");
}

TEST_CASE("decoder treats a file holding only a byte-order mark as empty")
{
    CHECK(decodeText("\xEF\xBB\xBF").message() == "empty file");
    CHECK(decodeText(byteString({0xFF, 0xFE})).message() == "empty file");
    CHECK(decodeText(byteString({0xFE, 0xFF})).message() == "empty file");
}

TEST_CASE("decoder accepts whitespace-only text")
{
    const auto result = decodeText(" \n\t\r\n ");
    REQUIRE(result.ok());
    CHECK(result->text == " \n\t\r\n ");
}

TEST_CASE("decoder rejects NUL bytes as binary")
{
    const auto result = decodeText(std::string("plain text\0with a NUL", 21));
    REQUIRE_FALSE(result.ok());
    CHECK(result.message() == "binary file (contains NUL bytes)");
}

TEST_CASE("decoder rejects a NUL character inside UTF-16 as binary")
{
    const auto result = decodeText(byteString({0xFF, 0xFE, 'a', 0, 0, 0, 'b', 0}));
    REQUIRE_FALSE(result.ok());
    CHECK(result.message().find("binary file") == 0);
}

TEST_CASE("decoder rejects every byte value repeated as binary")
{
    std::string bytes;
    for (int round = 0; round < 8; ++round) {
        for (int value = 0; value < 256; ++value)
            bytes += static_cast<char>(value);
    }
    const auto result = decodeText(bytes);
    REQUIRE_FALSE(result.ok());
    CHECK(result.message().find("binary file") == 0);
}

TEST_CASE("decoder rejects control-heavy bytes without NUL as binary")
{
    std::string bytes;
    for (int round = 0; round < 8; ++round) {
        for (int value = 1; value < 256; ++value)
            bytes += static_cast<char>(value);
    }
    const auto result = decodeText(bytes);
    REQUIRE_FALSE(result.ok());
    CHECK(result.message() == "binary file (too many control characters)");
}

TEST_CASE("decoder rejects valid UTF-8 full of control characters")
{
    const auto result = decodeText("a\x01\x02\x03\x04 b\x1B\x1B");
    REQUIRE_FALSE(result.ok());
    CHECK(result.message() == "binary file (too many control characters)");
}

TEST_CASE("decoder tolerates a few control characters in text")
{
    // A DOS end-of-file marker and a form feed in ordinary prose.
    const auto result = decodeText("Page one of the report.\fPage two of the report.\x1A");
    REQUIRE(result.ok());
    CHECK(result->text == "Page one of the report.\fPage two of the report.\x1A");
}

TEST_CASE("decoder cannot determine the encoding of high-byte noise")
{
    std::string bytes;
    for (int round = 0; round < 8; ++round) {
        for (int value = 0x80; value < 256; ++value)
            bytes += static_cast<char>(value);
    }
    const auto result = decodeText(bytes);
    REQUIRE_FALSE(result.ok());
    CHECK(result.message() == "cannot determine the text encoding");
}

TEST_CASE("decoder survives arbitrary bytes and only returns well-formed UTF-8")
{
    // A fixed linear congruential generator keeps the case reproducible.
    std::uint32_t state = 12345;
    const auto next = [&state] {
        state = state * 1664525u + 1013904223u;
        return state >> 24;
    };
    const std::string prefixes[] = {"", "\xEF\xBB\xBF", "\xFF\xFE", "\xFE\xFF",
                                    std::string("\xFF\xFE\0\0", 4), std::string("\0\0\xFE\xFF", 4)};
    for (int round = 0; round < 600; ++round) {
        std::string bytes = prefixes[round % 6];
        const std::uint32_t length = next() % 64;
        // Mostly ASCII letters with some high bytes, so that some inputs get
        // through to the detector and the converters.
        for (std::uint32_t i = 0; i < length; ++i) {
            const std::uint32_t r = next();
            bytes += static_cast<char>(r % 3 == 0 ? next() : 'a' + r % 26);
        }
        const auto result = decodeText(bytes);
        if (result.ok()) {
            INFO("input round " << round);
            CHECK(isWellFormedUtf8(result->text));
            CHECK_FALSE(result->encoding.empty());
        } else {
            CHECK_FALSE(result.message().empty());
        }
    }
}

TEST_CASE("one UTF-8 encoder: every scalar value, and U+FFFD for what is none")
{
    std::string out;
    for (const char32_t c : {U'A', U'é', U'€', U'😀', U'\U0010FFFF'})
        lede::text::appendUtf8(out, c);
    CHECK(out == "Aé€😀\xF4\x8F\xBF\xBF");
    CHECK(lede::text::toUtf16(out) == u"Aé€😀\U0010FFFF");

    std::string bad;
    lede::text::appendUtf8(bad, 0xD800);   // a lone surrogate
    lede::text::appendUtf8(bad, 0x110000); // past the last code point
    CHECK(bad == "\uFFFD\uFFFD");
    CHECK(lede::text::toUtf8(std::u16string(1, char16_t(0xDC00))) == "\uFFFD");
}

TEST_CASE("a line reader gives every line, numbered, without its line end")
{
    lede::text::LineReader lines("first\r\n\nthird\nlast");
    std::vector<std::string> got;
    for (std::string_view line; lines.next(line);)
        got.push_back(std::to_string(lines.number()) + ":" + std::string(line));
    CHECK(got == std::vector<std::string>{"1:first", "2:", "3:third", "4:last"});
    std::string_view unused;
    CHECK_FALSE(lede::text::LineReader("").next(unused));
    lede::text::LineReader one("only\n");
    CHECK(one.next(unused));
    CHECK(unused == "only");
    CHECK_FALSE(one.next(unused));
}

TEST_CASE("a text of one's own is normalised in place, as a copy would be", "[text][encoding]")
{
    for (const std::string &input : {std::string("\xEF\xBB\xBFline one\r\nline two\rthree\n"),
                                    std::string("Cafe\xCC\x81 \xF0\x9F\x94\x92 Zu\xCC\x88rich\r\n"),
                                    std::string("already NFC: Caf\xC3\xA9 \xF0\x9F\x94\x92\n"), std::string()}) {
        std::string own = input;
        text::normalizeInPlace(own);
        CHECK(own == text::normalize(input));
    }
    std::string mixed = "\xEF\xBB\xBF" "Cafe\xCC\x81\r\nok\r";
    text::normalizeInPlace(mixed);
    CHECK(mixed == "Caf\xC3\xA9\nok\n");
}

TEST_CASE("decoding bytes one owns gives what decoding a view of them gives", "[encoding]")
{
    for (const std::string &bytes : {std::string("plain UTF-8 \xF0\x9F\x94\x92 text\n"), std::string("\xEF\xBB\xBFwith a mark"),
                                    std::string("caf\xE9" " cr\xE8" "me br\xFB" "l\xE9" "e, caf\xE9" " au lait"), std::string("\0\1", 2),
                                    std::string()}) {
        const auto viewed = decodeText(bytes);
        const auto owned = decodeOwned(std::string(bytes));
        REQUIRE(viewed.ok() == owned.ok());
        if (viewed.ok()) {
            CHECK(viewed->text == owned->text);
            CHECK(viewed->encoding == owned->encoding);
        } else {
            CHECK(viewed.message() == owned.message());
        }
    }
}
