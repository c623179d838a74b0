#include "core/io/HtmlText.h"

#include "core/text/Text.h"

#include <algorithm>
#include <array>
#include <string>
#include <cstddef>
#include <cstdint>
#include <new>
#include <unordered_map>
#include <utility>

namespace lede {
namespace {

// The tokenizer below follows the HTML standard's tokenizer loosely: enough
// to find the visible text of real-world pages, not to build a DOM. Every
// scan moves forward from where the previous one stopped and never rescans,
// which is what keeps the whole pass linear however the markup is broken.

bool isHtmlSpace(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool isAsciiAlpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool isAsciiDigit(unsigned char c) { return c >= '0' && c <= '9'; }

bool isAsciiAlnum(unsigned char c) { return isAsciiAlpha(c) || isAsciiDigit(c); }

char asciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equalsIgnoringAsciiCase(std::string_view a, std::string_view lowerB)
{
    if (a.size() != lowerB.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (asciiLower(a[i]) != lowerB[i])
            return false;
    }
    return true;
}

constexpr char32_t kReplacementCharacter = 0xFFFD;

// ---------------------------------------------------------------------------
// Character references

// HTML 4's full set of named references (which covers what news sites emit)
// plus HTML5's uppercase spellings of the four markup escapes. The Latin-1
// block U+00A0..U+00FF is listed separately, in code point order.
constexpr std::array<std::string_view, 96> kLatin1Names = {
    "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar", "sect",
    "uml",    "copy",   "ordf",   "laquo",  "not",    "shy",    "reg",    "macr",
    "deg",    "plusmn", "sup2",   "sup3",   "acute",  "micro",  "para",   "middot",
    "cedil",  "sup1",   "ordm",   "raquo",  "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc",  "Atilde", "Auml",   "Aring",  "AElig",  "Ccedil",
    "Egrave", "Eacute", "Ecirc",  "Euml",   "Igrave", "Iacute", "Icirc",  "Iuml",
    "ETH",    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde", "Ouml",   "times",
    "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",  "szlig",
    "agrave", "aacute", "acirc",  "atilde", "auml",   "aring",  "aelig",  "ccedil",
    "egrave", "eacute", "ecirc",  "euml",   "igrave", "iacute", "icirc",  "iuml",
    "eth",    "ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",   "divide",
    "oslash", "ugrave", "uacute", "ucirc",  "uuml",   "yacute", "thorn",  "yuml",
};

struct NamedReference {
    std::string_view name;
    char32_t codePoint;
};

constexpr NamedReference kOtherNames[] = {
    {"quot", 0x22}, {"amp", 0x26}, {"apos", 0x27}, {"lt", 0x3C}, {"gt", 0x3E},
    {"QUOT", 0x22}, {"AMP", 0x26}, {"LT", 0x3C}, {"GT", 0x3E}, {"COPY", 0xA9}, {"REG", 0xAE},
    {"OElig", 0x152}, {"oelig", 0x153}, {"Scaron", 0x160}, {"scaron", 0x161},
    {"Yuml", 0x178}, {"fnof", 0x192}, {"circ", 0x2C6}, {"tilde", 0x2DC},
    {"Alpha", 0x391}, {"Beta", 0x392}, {"Gamma", 0x393}, {"Delta", 0x394},
    {"Epsilon", 0x395}, {"Zeta", 0x396}, {"Eta", 0x397}, {"Theta", 0x398},
    {"Iota", 0x399}, {"Kappa", 0x39A}, {"Lambda", 0x39B}, {"Mu", 0x39C}, {"Nu", 0x39D},
    {"Xi", 0x39E}, {"Omicron", 0x39F}, {"Pi", 0x3A0}, {"Rho", 0x3A1}, {"Sigma", 0x3A3},
    {"Tau", 0x3A4}, {"Upsilon", 0x3A5}, {"Phi", 0x3A6}, {"Chi", 0x3A7}, {"Psi", 0x3A8},
    {"Omega", 0x3A9}, {"alpha", 0x3B1}, {"beta", 0x3B2}, {"gamma", 0x3B3},
    {"delta", 0x3B4}, {"epsilon", 0x3B5}, {"zeta", 0x3B6}, {"eta", 0x3B7},
    {"theta", 0x3B8}, {"iota", 0x3B9}, {"kappa", 0x3BA}, {"lambda", 0x3BB}, {"mu", 0x3BC},
    {"nu", 0x3BD}, {"xi", 0x3BE}, {"omicron", 0x3BF}, {"pi", 0x3C0}, {"rho", 0x3C1},
    {"sigmaf", 0x3C2}, {"sigma", 0x3C3}, {"tau", 0x3C4}, {"upsilon", 0x3C5}, {"phi", 0x3C6},
    {"chi", 0x3C7}, {"psi", 0x3C8}, {"omega", 0x3C9}, {"thetasym", 0x3D1}, {"upsih", 0x3D2},
    {"piv", 0x3D6}, {"ensp", 0x2002}, {"emsp", 0x2003}, {"thinsp", 0x2009},
    {"zwnj", 0x200C}, {"zwj", 0x200D}, {"lrm", 0x200E}, {"rlm", 0x200F}, {"ndash", 0x2013},
    {"mdash", 0x2014}, {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"sbquo", 0x201A},
    {"ldquo", 0x201C}, {"rdquo", 0x201D}, {"bdquo", 0x201E}, {"dagger", 0x2020},
    {"Dagger", 0x2021}, {"bull", 0x2022}, {"hellip", 0x2026}, {"permil", 0x2030},
    {"prime", 0x2032}, {"Prime", 0x2033}, {"lsaquo", 0x2039}, {"rsaquo", 0x203A},
    {"oline", 0x203E}, {"frasl", 0x2044}, {"euro", 0x20AC}, {"image", 0x2111},
    {"weierp", 0x2118}, {"real", 0x211C}, {"trade", 0x2122}, {"alefsym", 0x2135},
    {"larr", 0x2190}, {"uarr", 0x2191}, {"rarr", 0x2192}, {"darr", 0x2193}, {"harr", 0x2194},
    {"crarr", 0x21B5}, {"lArr", 0x21D0}, {"uArr", 0x21D1}, {"rArr", 0x21D2},
    {"dArr", 0x21D3}, {"hArr", 0x21D4}, {"forall", 0x2200}, {"part", 0x2202},
    {"exist", 0x2203}, {"empty", 0x2205}, {"nabla", 0x2207}, {"isin", 0x2208},
    {"notin", 0x2209}, {"ni", 0x220B}, {"prod", 0x220F}, {"sum", 0x2211}, {"minus", 0x2212},
    {"lowast", 0x2217}, {"radic", 0x221A}, {"prop", 0x221D}, {"infin", 0x221E},
    {"ang", 0x2220}, {"and", 0x2227}, {"or", 0x2228}, {"cap", 0x2229}, {"cup", 0x222A},
    {"int", 0x222B}, {"there4", 0x2234}, {"sim", 0x223C}, {"cong", 0x2245},
    {"asymp", 0x2248}, {"ne", 0x2260}, {"equiv", 0x2261}, {"le", 0x2264}, {"ge", 0x2265},
    {"sub", 0x2282}, {"sup", 0x2283}, {"nsub", 0x2284}, {"sube", 0x2286}, {"supe", 0x2287},
    {"oplus", 0x2295}, {"otimes", 0x2297}, {"perp", 0x22A5}, {"sdot", 0x22C5},
    {"lceil", 0x2308}, {"rceil", 0x2309}, {"lfloor", 0x230A}, {"rfloor", 0x230B},
    {"lang", 0x27E8}, {"rang", 0x27E9}, {"loz", 0x25CA}, {"spades", 0x2660},
    {"clubs", 0x2663}, {"hearts", 0x2665}, {"diams", 0x2666},
};

// Longest name in the tables above; a longer run of letters cannot match.
constexpr std::size_t kMaxReferenceNameLength = 8;

// Returns 0 when `name` is not a known reference (U+0000 is never one).
char32_t lookupNamedReference(std::string_view name)
{
    static const std::unordered_map<std::string_view, char32_t> table = [] {
        std::unordered_map<std::string_view, char32_t> map;
        for (std::size_t i = 0; i < kLatin1Names.size(); ++i)
            map.emplace(kLatin1Names[i], static_cast<char32_t>(0xA0 + i));
        for (const NamedReference &ref : kOtherNames)
            map.emplace(ref.name, ref.codePoint);
        return map;
    }();
    const auto it = table.find(name);
    return it == table.end() ? 0 : it->second;
}

// Browsers still honour these without the closing ';' ("&amp" in old
// hand-written pages). Any other name needs it, so that prose like
// "AT&Tcopy" or "R&D" stays literal.
bool acceptedWithoutSemicolon(std::string_view name)
{
    return name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "nbsp" ||
           name == "copy" || name == "reg" || name == "AMP" || name == "LT" || name == "GT" ||
           name == "QUOT";
}

// Pages declared as Latin-1 often write windows-1252 punctuation as numeric
// references (&#146; for an apostrophe); HTML maps 0x80-0x9F this way.
// Zero marks the five positions windows-1252 leaves undefined.
constexpr std::array<char32_t, 32> kWindows1252C1 = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

// Code points that cannot stand in text become U+FFFD: NUL, surrogates,
// anything past U+10FFFF, and control characters other than whitespace
// (which would otherwise mark the text as binary further down the line).
char32_t sanitiseNumericReference(std::uint32_t value)
{
    if (value > 0x10FFFF || value == 0 || (value >= 0xD800 && value <= 0xDFFF))
        return kReplacementCharacter;
    if (value >= 0x80 && value <= 0x9F) {
        const char32_t mapped = kWindows1252C1[value - 0x80];
        return mapped ? mapped : kReplacementCharacter;
    }
    if ((value < 0x20 && !isHtmlSpace(static_cast<unsigned char>(value))) || value == 0x7F)
        return kReplacementCharacter;
    return static_cast<char32_t>(value);
}

// `s[pos]` is '&'. Appends the decoded character to `out` and returns how
// many bytes the reference spans, or returns 0 (appending nothing) when the
// '&' does not start a reference and must be read as a literal.
std::size_t decodeReference(std::string_view s, std::size_t pos, std::string &out)
{
    const std::size_t n = s.size();
    std::size_t j = pos + 1;
    if (j >= n)
        return 0;
    if (s[j] == '#') {
        ++j;
        bool hex = false;
        if (j < n && (s[j] == 'x' || s[j] == 'X')) {
            hex = true;
            ++j;
        }
        const std::size_t digitsStart = j;
        std::uint32_t value = 0;
        while (j < n) {
            const auto c = static_cast<unsigned char>(s[j]);
            std::uint32_t digit = 0;
            if (isAsciiDigit(c))
                digit = c - '0';
            else if (hex && c >= 'a' && c <= 'f')
                digit = c - 'a' + 10;
            else if (hex && c >= 'A' && c <= 'F')
                digit = c - 'A' + 10;
            else
                break;
            // Saturate just past the Unicode range so long digit runs cannot
            // wrap around into a valid code point.
            value = std::min<std::uint32_t>(value * (hex ? 16 : 10) + digit, 0x110000);
            ++j;
        }
        if (j == digitsStart)
            return 0;
        if (j < n && s[j] == ';')
            ++j;
        text::appendUtf8(out, sanitiseNumericReference(value));
        return j - pos;
    }

    while (j < n && isAsciiAlnum(static_cast<unsigned char>(s[j])) &&
           j - pos <= kMaxReferenceNameLength)
        ++j;
    const std::string_view name = s.substr(pos + 1, j - pos - 1);
    if (name.empty() || name.size() > kMaxReferenceNameLength)
        return 0;
    const bool hasSemicolon = j < n && s[j] == ';';
    if (!hasSemicolon && !acceptedWithoutSemicolon(name))
        return 0;
    const char32_t cp = lookupNamedReference(name);
    if (cp == 0)
        return 0;
    text::appendUtf8(out, cp);
    return j - pos + (hasSemicolon ? 1 : 0);
}

// ---------------------------------------------------------------------------
// Output

// U+00A0 counts as a space (the caller searches and tags this text, and a
// no-break space inside a name would split it invisibly); U+00AD, an
// invisible hyphenation hint, is dropped for the same reason.
enum class SpecialChar { None, NoBreakSpace, SoftHyphen };

SpecialChar specialAt(std::string_view s, std::size_t i)
{
    if (static_cast<unsigned char>(s[i]) != 0xC2 || i + 1 >= s.size())
        return SpecialChar::None;
    const auto next = static_cast<unsigned char>(s[i + 1]);
    if (next == 0xA0)
        return SpecialChar::NoBreakSpace;
    if (next == 0xAD)
        return SpecialChar::SoftHyphen;
    return SpecialChar::None;
}

// Collects text on one line with whitespace collapsed: titles and headings.
class LineCollector {
public:
    void append(std::string_view s)
    {
        for (std::size_t i = 0; i < s.size(); ++i) {
            const SpecialChar special = specialAt(s, i);
            if (special == SpecialChar::SoftHyphen) {
                ++i;
            } else if (special == SpecialChar::NoBreakSpace) {
                ++i;
                space();
            } else if (isHtmlSpace(static_cast<unsigned char>(s[i]))) {
                space();
            } else {
                if (m_pendingSpace && !m_text.empty())
                    m_text += ' ';
                m_pendingSpace = false;
                m_text += s[i];
            }
        }
    }
    void space() { m_pendingSpace = true; }
    bool empty() const { return m_text.empty(); }
    std::string take()
    {
        m_pendingSpace = false;
        return std::exchange(m_text, {});
    }

private:
    std::string m_text;
    bool m_pendingSpace = false;
};

// Builds the body text. Whitespace and breaks are never written when they
// arrive, only remembered, and are settled when the next visible character
// comes: that is what guarantees no whitespace at either end of a line or
// of the text, and that breaks of any number merge into one "\n" (a <br>) or
// one "\n\n" (a paragraph), the stronger winning.
class TextBuilder {
public:
    void setPreformatted(bool on)
    {
        // HTML drops a newline that immediately follows <pre>, so that the
        // markup can start the content on its own line.
        if (on && !m_pre)
            m_skipNewline = true;
        m_pre = on;
    }

    // Any tag ends the stretch in which a <pre>'s leading newline is dropped.
    void tagBoundary() { m_skipNewline = false; }

    void lineBreak()
    {
        m_pendingBreaks = std::min(m_pendingBreaks + 1, 2);
        m_pendingSeparator = 0;
        m_pendingPreSpace.clear();
    }

    void paragraphBreak()
    {
        m_pendingBreaks = 2;
        m_pendingSeparator = 0;
        m_pendingPreSpace.clear();
    }

    void cellBreak() { m_pendingSeparator = '\t'; }

    void append(std::string_view s)
    {
        for (std::size_t i = 0; i < s.size(); ++i) {
            const auto c = static_cast<unsigned char>(s[i]);
            if (m_skipNewline) {
                m_skipNewline = false;
                if (c == '\n')
                    continue;
                if (c == '\r') {
                    if (i + 1 < s.size() && s[i + 1] == '\n')
                        ++i;
                    continue;
                }
            }
            const SpecialChar special = specialAt(s, i);
            if (special == SpecialChar::SoftHyphen) {
                ++i;
                continue;
            }
            const bool space = special == SpecialChar::NoBreakSpace || isHtmlSpace(c);
            if (special == SpecialChar::NoBreakSpace)
                ++i;
            if (!space) {
                settlePending();
                m_text += static_cast<char>(c);
            } else if (!m_pre) {
                if (!m_pendingSeparator)
                    m_pendingSeparator = ' ';
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n')
                    ++i;
                lineBreak();
            } else {
                m_pendingPreSpace += (c == '\t') ? '\t' : ' ';
            }
        }
    }

    bool empty() const { return m_text.empty(); }
    std::string take() { return std::move(m_text); }

private:
    void settlePending()
    {
        if (!m_text.empty()) {
            if (m_pendingBreaks > 0) {
                m_text.append(static_cast<std::size_t>(m_pendingBreaks), '\n');
                m_text += m_pendingPreSpace;
            } else if (!m_pendingPreSpace.empty()) {
                m_text += m_pendingPreSpace;
            } else if (m_pendingSeparator) {
                m_text += m_pendingSeparator;
            }
        }
        m_pendingBreaks = 0;
        m_pendingSeparator = 0;
        m_pendingPreSpace.clear();
    }

    std::string m_text;
    int m_pendingBreaks = 0;
    char m_pendingSeparator = 0;
    // Whitespace inside <pre> since the last newline or visible character,
    // written out only if a visible character follows on the same line.
    std::string m_pendingPreSpace;
    bool m_pre = false;
    bool m_skipNewline = false;
};

// ---------------------------------------------------------------------------
// Element classes

template <std::size_t N>
bool isOneOf(std::string_view name, const std::array<std::string_view, N> &names)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

// Elements that start and end a paragraph of their own. Cells are handled
// separately (they separate rather than break).
constexpr auto kBlockElements = std::to_array<std::string_view>({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
    "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html",
    "legend", "li", "listing", "main", "menu", "nav", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "tfoot", "thead", "tr", "ul",
});

// Elements whose content the tokenizer must not parse as markup and that
// show nothing: their end tag is searched for as plain text. Browsers treat
// <noscript> this way when scripting is on, which is the reading a person
// sees.
constexpr auto kHiddenRawTextElements = std::to_array<std::string_view>({
    "script", "style", "noscript", "iframe", "noembed", "noframes", "xmp", "textarea",
});

// What may appear inside <head>; any other start tag means the author left
// <head> open and the body has begun.
constexpr auto kHeadElements = std::to_array<std::string_view>({
    "title", "meta", "link", "base", "style", "script", "noscript", "template", "basefont",
    "bgsound", "head", "html",
});

// Tag names are stored lowercased in a fixed buffer; no element this code
// cares about is longer, so a longer name is kept only as "unknown".
constexpr std::size_t kMaxTagNameLength = 16;

struct TagName {
    std::array<char, kMaxTagNameLength> chars{};
    std::size_t size = 0;
    std::string_view view() const { return {chars.data(), size}; }
};

// ---------------------------------------------------------------------------
// The extractor

class Extractor {
public:
    explicit Extractor(std::string_view html) : m_html(html) {}

    HtmlText run()
    {
        std::size_t i = 0;
        const std::size_t n = m_html.size();
        while (i < n) {
            const char c = m_html[i];
            if (c == '<') {
                i = markup(i);
            } else if (c == '&') {
                std::string decoded;
                const std::size_t length = decodeReference(m_html, i, decoded);
                if (length == 0) {
                    text("&");
                    ++i;
                } else {
                    text(decoded);
                    i += length;
                }
            } else {
                std::size_t end = m_html.find_first_of("<&", i);
                if (end == std::string_view::npos)
                    end = n;
                text(m_html.substr(i, end - i));
                i = end;
            }
        }
        finishHeading();

        HtmlText result;
        result.title = m_title.empty() ? std::move(m_headingTitle) : std::move(m_title);
        result.text = m_out.take();
        return result;
    }

private:
    void text(std::string_view s)
    {
        if (m_templateDepth > 0 || m_inHead)
            return;
        m_out.append(s);
        if (m_inHeading)
            m_heading.append(s);
    }

    void paragraphBreak()
    {
        m_out.paragraphBreak();
        if (m_inHeading)
            m_heading.space();
    }

    // Reads the markup construct starting at `m_html[i] == '<'` and returns
    // the position after it. Anything left open at the end of the input
    // swallows the rest, as it does in a browser.
    std::size_t markup(std::size_t i)
    {
        const std::string_view rest = m_html.substr(i);
        const std::size_t n = m_html.size();
        if (rest.starts_with("<!--")) {
            // "<!-->" and "<!--->" are complete (empty) comments in HTML.
            if (rest.substr(4).starts_with(">"))
                return i + 5;
            if (rest.substr(4).starts_with("->"))
                return i + 6;
            return after(m_html.find("-->", i + 4), 3);
        }
        if (rest.starts_with("<![CDATA["))
            return after(m_html.find("]]>", i + 9), 3);
        if (rest.starts_with("<!") || rest.starts_with("<?"))
            return after(m_html.find('>', i + 2), 1);
        if (rest.starts_with("</")) {
            if (rest.size() == 2) {
                text("</");
                return n;
            }
            if (rest[2] == '>')
                return i + 3;
            if (!isAsciiAlpha(static_cast<unsigned char>(rest[2])))
                return after(m_html.find('>', i + 2), 1);
            // An end tag cut off by the end of the input is dropped whole.
            TagName name;
            const std::size_t end = skipTag(readTagName(i + 2, name));
            if (end == std::string_view::npos)
                return n;
            endTag(name.view());
            return end;
        }
        if (rest.size() > 1 && isAsciiAlpha(static_cast<unsigned char>(rest[1]))) {
            TagName name;
            const std::size_t end = skipTag(readTagName(i + 1, name));
            if (end == std::string_view::npos)
                return n;
            return startTag(name.view(), end);
        }
        text("<");
        return i + 1;
    }

    std::size_t after(std::size_t found, std::size_t length) const
    {
        return found == std::string_view::npos ? m_html.size() : found + length;
    }

    std::size_t readTagName(std::size_t j, TagName &name) const
    {
        const std::size_t n = m_html.size();
        const std::size_t start = j;
        while (j < n) {
            const auto c = static_cast<unsigned char>(m_html[j]);
            if (isHtmlSpace(c) || c == '/' || c == '>')
                break;
            ++j;
        }
        const std::size_t length = j - start;
        if (length <= kMaxTagNameLength) {
            for (std::size_t k = 0; k < length; ++k)
                name.chars[k] = asciiLower(m_html[start + k]);
            name.size = length;
        }
        return j;
    }

    // Skips attributes up to and including the closing '>', returning the
    // position after it, or npos if the input ends first. A quote opens a value
    // only right after '=', as in HTML, so an attribute value may hold '>'
    // while a stray quote elsewhere does not swallow the document.
    std::size_t skipTag(std::size_t j) const
    {
        const std::size_t n = m_html.size();
        while (j < n) {
            const char c = m_html[j];
            if (c == '>')
                return j + 1;
            ++j;
            if (c != '=')
                continue;
            while (j < n && isHtmlSpace(static_cast<unsigned char>(m_html[j])))
                ++j;
            if (j < n && (m_html[j] == '"' || m_html[j] == '\'')) {
                const std::size_t close = m_html.find(m_html[j], j + 1);
                if (close == std::string_view::npos)
                    return std::string_view::npos;
                j = close + 1;
            }
        }
        return std::string_view::npos;
    }

    // Finds the end tag `</name` (any case) from `from` on, as raw-text
    // elements require, and returns the position of its '<', or npos.
    std::size_t findEndTag(std::size_t from, std::string_view name) const
    {
        const std::size_t n = m_html.size();
        std::size_t p = from;
        while ((p = m_html.find("</", p)) != std::string_view::npos) {
            const std::size_t nameEnd = p + 2 + name.size();
            if (nameEnd <= n && equalsIgnoringAsciiCase(m_html.substr(p + 2, name.size()), name)) {
                if (nameEnd == n)
                    return p;
                const auto c = static_cast<unsigned char>(m_html[nameEnd]);
                if (isHtmlSpace(c) || c == '/' || c == '>')
                    return p;
            }
            p += 2;
        }
        return std::string_view::npos;
    }

    // Returns the position after the raw-text element's end tag, setting
    // `content` to what lies between.
    std::size_t skipRawText(std::size_t from, std::string_view name, std::string_view &content) const
    {
        const std::size_t close = findEndTag(from, name);
        if (close == std::string_view::npos) {
            content = m_html.substr(from);
            return m_html.size();
        }
        content = m_html.substr(from, close - from);
        return after(skipTag(close + 2 + name.size()), 0);
    }

    void readTitle(std::string_view content)
    {
        if (!m_title.empty())
            return;
        LineCollector title;
        std::size_t i = 0;
        while (i < content.size()) {
            if (content[i] == '&') {
                std::string decoded;
                const std::size_t length = decodeReference(content, i, decoded);
                if (length > 0) {
                    title.append(decoded);
                    i += length;
                    continue;
                }
            }
            std::size_t end = content.find('&', i + 1);
            if (end == std::string_view::npos)
                end = content.size();
            title.append(content.substr(i, end - i));
            i = end;
        }
        m_title = title.take();
    }

    std::size_t startTag(std::string_view name, std::size_t end)
    {
        m_out.tagBoundary();
        if (m_inHead && !isOneOf(name, kHeadElements))
            m_inHead = false;

        if (isOneOf(name, kHiddenRawTextElements)) {
            std::string_view ignored;
            return skipRawText(end, name, ignored);
        }
        if (name == "title") {
            std::string_view content;
            const std::size_t next = skipRawText(end, name, content);
            if (m_templateDepth == 0)
                readTitle(content);
            return next;
        }
        if (name == "template") {
            ++m_templateDepth;
            return end;
        }
        if (m_templateDepth > 0)
            return end;

        if (name == "head") {
            // A <head> after content has begun is ignored, as browsers do.
            if (!m_bodySeen && m_out.empty())
                m_inHead = true;
            return end;
        }
        if (name == "body") {
            m_inHead = false;
            m_bodySeen = true;
        } else if (!m_inHead && !isOneOf(name, kHeadElements)) {
            m_bodySeen = true;
        }

        if (name == "br") {
            m_out.lineBreak();
            if (m_inHeading)
                m_heading.space();
        } else if (name == "td" || name == "th") {
            m_out.cellBreak();
            if (m_inHeading)
                m_heading.space();
        } else if (isOneOf(name, kBlockElements)) {
            paragraphBreak();
            if (name == "pre" || name == "listing") {
                ++m_preDepth;
                m_out.setPreformatted(true);
            }
            if (name == "h1" && m_headingTitle.empty()) {
                m_inHeading = true;
                m_heading.take();
            }
        }
        return end;
    }

    void endTag(std::string_view name)
    {
        m_out.tagBoundary();
        if (name == "template") {
            if (m_templateDepth > 0)
                --m_templateDepth;
            return;
        }
        if (m_templateDepth > 0)
            return;
        if (name == "head") {
            m_inHead = false;
            return;
        }
        // </br> is read as <br> by browsers.
        if (name == "br") {
            m_out.lineBreak();
            return;
        }
        if (isOneOf(name, kBlockElements)) {
            paragraphBreak();
            if ((name == "pre" || name == "listing") && m_preDepth > 0) {
                --m_preDepth;
                m_out.setPreformatted(m_preDepth > 0);
            }
            if (name == "h1")
                finishHeading();
        }
    }

    void finishHeading()
    {
        if (!m_inHeading)
            return;
        m_inHeading = false;
        m_headingTitle = m_heading.take();
    }

    std::string_view m_html;
    TextBuilder m_out;
    std::string m_title;
    // The first non-empty <h1>, the title's fallback.
    std::string m_headingTitle;
    LineCollector m_heading;
    bool m_inHeading = false;
    bool m_inHead = false;
    bool m_bodySeen = false;
    int m_templateDepth = 0;
    int m_preDepth = 0;
};

} // namespace

HtmlText htmlToText(std::string_view html)
{
    // Only allocation can throw here. Running out of memory on a page is
    // not worth a failure path in an API that otherwise cannot fail; an
    // empty result is its best reading.
    try {
        return Extractor(html).run();
    } catch (const std::bad_alloc &) {
        return HtmlText{};
    }
}

} // namespace lede
