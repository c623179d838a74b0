#include "core/io/Json.h"

#include "core/text/Text.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace lede {

JsonValue JsonValue::boolean(bool b)
{
    JsonValue v;
    v.m_kind = Kind::Bool;
    v.m_bool = b;
    return v;
}

JsonValue JsonValue::number(double d, bool isInteger, std::int64_t integer)
{
    JsonValue v;
    v.m_kind = Kind::Number;
    v.m_number = d;
    v.m_isInteger = isInteger;
    v.m_integer = integer;
    return v;
}

JsonValue JsonValue::string(std::string s)
{
    JsonValue v;
    v.m_kind = Kind::String;
    v.m_string = std::move(s);
    return v;
}

JsonValue JsonValue::array(Array a)
{
    JsonValue v;
    v.m_kind = Kind::Array;
    v.m_array = std::move(a);
    return v;
}

JsonValue JsonValue::object(Object o)
{
    JsonValue v;
    v.m_kind = Kind::Object;
    v.m_object = std::move(o);
    return v;
}

const JsonValue *JsonValue::find(std::string_view key) const
{
    if (m_kind != Kind::Object)
        return nullptr;
    for (const auto &[k, v] : m_object)
        if (k == key)
            return &v;
    return nullptr;
}

namespace {

constexpr int kMaxDepth = 256;

class Parser {
public:
    explicit Parser(std::string_view text) : m_text(text) {}

    Result<JsonValue> parseDocument()
    {
        skipSpace();
        auto v = parseValue(0);
        if (!v)
            return v;
        skipSpace();
        if (m_pos != m_text.size())
            return fail("unexpected text after the JSON value");
        return v;
    }

private:
    Error fail(const std::string &what) const
    {
        std::size_t line = 1, column = 1;
        for (std::size_t i = 0; i < m_pos && i < m_text.size(); ++i) {
            if (m_text[i] == '\n') {
                ++line;
                column = 1;
            } else if ((static_cast<unsigned char>(m_text[i]) & 0xC0) != 0x80) {
                ++column;
            }
        }
        return makeError("invalid JSON at line " + std::to_string(line) + ", column " + std::to_string(column) + ": "
                         + what);
    }

    void skipSpace()
    {
        while (m_pos < m_text.size()
               && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\n' || m_text[m_pos] == '\r'))
            ++m_pos;
    }

    bool literal(std::string_view word)
    {
        if (m_text.substr(m_pos, word.size()) != word)
            return false;
        m_pos += word.size();
        return true;
    }

    Result<JsonValue> parseValue(int depth)
    {
        if (depth > kMaxDepth)
            return fail("nested too deeply");
        if (m_pos >= m_text.size())
            return fail("unexpected end of input");
        const char c = m_text[m_pos];
        switch (c) {
        case '{':
            return parseObject(depth);
        case '[':
            return parseArray(depth);
        case '"': {
            LEDE_TRY_ASSIGN(auto s, parseString());
            return JsonValue::string(std::move(s));
        }
        case 't':
            if (literal("true"))
                return JsonValue::boolean(true);
            break;
        case 'f':
            if (literal("false"))
                return JsonValue::boolean(false);
            break;
        case 'n':
            if (literal("null"))
                return JsonValue();
            break;
        default:
            if (c == '-' || (c >= '0' && c <= '9'))
                return parseNumber();
        }
        return fail("unexpected character");
    }

    Result<JsonValue> parseObject(int depth)
    {
        ++m_pos; // '{'
        JsonValue::Object members;
        skipSpace();
        if (m_pos < m_text.size() && m_text[m_pos] == '}') {
            ++m_pos;
            return JsonValue::object(std::move(members));
        }
        for (;;) {
            skipSpace();
            if (m_pos >= m_text.size() || m_text[m_pos] != '"')
                return fail("expected a member name in quotes");
            LEDE_TRY_ASSIGN(auto key, parseString());
            skipSpace();
            if (m_pos >= m_text.size() || m_text[m_pos] != ':')
                return fail("expected ':' after a member name");
            ++m_pos;
            skipSpace();
            auto v = parseValue(depth + 1);
            if (!v)
                return v;
            members.emplace_back(std::move(key), std::move(*v));
            skipSpace();
            if (m_pos < m_text.size() && m_text[m_pos] == ',') {
                ++m_pos;
                continue;
            }
            if (m_pos < m_text.size() && m_text[m_pos] == '}') {
                ++m_pos;
                return JsonValue::object(std::move(members));
            }
            return fail("expected ',' or '}' in an object");
        }
    }

    Result<JsonValue> parseArray(int depth)
    {
        ++m_pos; // '['
        JsonValue::Array items;
        skipSpace();
        if (m_pos < m_text.size() && m_text[m_pos] == ']') {
            ++m_pos;
            return JsonValue::array(std::move(items));
        }
        for (;;) {
            skipSpace();
            auto v = parseValue(depth + 1);
            if (!v)
                return v;
            items.push_back(std::move(*v));
            skipSpace();
            if (m_pos < m_text.size() && m_text[m_pos] == ',') {
                ++m_pos;
                continue;
            }
            if (m_pos < m_text.size() && m_text[m_pos] == ']') {
                ++m_pos;
                return JsonValue::array(std::move(items));
            }
            return fail("expected ',' or ']' in an array");
        }
    }

    Result<JsonValue> parseNumber()
    {
        const std::size_t start = m_pos;
        if (m_text[m_pos] == '-')
            ++m_pos;
        auto digits = [&] {
            const std::size_t from = m_pos;
            while (m_pos < m_text.size() && m_text[m_pos] >= '0' && m_text[m_pos] <= '9')
                ++m_pos;
            return m_pos - from;
        };
        const std::size_t intStart = m_pos;
        if (digits() == 0)
            return fail("expected digits");
        if (m_text[intStart] == '0' && m_pos - intStart > 1)
            return fail("leading zeros are not allowed");
        bool integer = true;
        if (m_pos < m_text.size() && m_text[m_pos] == '.') {
            ++m_pos;
            integer = false;
            if (digits() == 0)
                return fail("expected digits after '.'");
        }
        if (m_pos < m_text.size() && (m_text[m_pos] == 'e' || m_text[m_pos] == 'E')) {
            ++m_pos;
            integer = false;
            if (m_pos < m_text.size() && (m_text[m_pos] == '+' || m_text[m_pos] == '-'))
                ++m_pos;
            if (digits() == 0)
                return fail("expected digits in the exponent");
        }
        const std::string_view token = m_text.substr(start, m_pos - start);
        std::int64_t i = 0;
        if (integer) {
            auto [p, ec] = std::from_chars(token.data(), token.data() + token.size(), i);
            if (ec != std::errc() || p != token.data() + token.size())
                integer = false;
        }
        return JsonValue::number(readDouble(token), integer, i);
    }

    // A JSON number as a double, whatever the C locale's decimal point
    // (Qt sets it from the environment). Past a double's range: ±infinity
    // or 0, as strtod would say.
    static double readDouble(std::string_view token)
    {
        double d = 0;
        const auto [p, ec] = std::from_chars(token.data(), token.data() + token.size(), d, std::chars_format::general);
        if (ec != std::errc::result_out_of_range)
            return d;
        const bool negative = token.front() == '-';
        const std::size_t e = token.find_first_of("eE");
        long exponent = 0;
        if (e != std::string_view::npos) {
            std::string_view digits = token.substr(e + 1);
            const bool down = !digits.empty() && digits.front() == '-';
            if (!digits.empty() && (digits.front() == '-' || digits.front() == '+'))
                digits.remove_prefix(1);
            if (std::from_chars(digits.data(), digits.data() + digits.size(), exponent).ec != std::errc())
                exponent = 100000; // more digits than any double needs
            exponent = down ? -exponent : exponent;
        }
        // The power of ten of the first significant digit.
        const std::string_view mantissa = token.substr(negative ? 1 : 0, e == std::string_view::npos ? std::string_view::npos : e - (negative ? 1 : 0));
        const std::size_t dot = std::min(mantissa.find('.'), mantissa.size());
        const std::size_t first = mantissa.find_first_not_of("0.");
        const long magnitude = first == std::string_view::npos ? 0
            : first < dot                                      ? static_cast<long>(dot - first)
                                                               : -static_cast<long>(first - dot - 1);
        if (magnitude + exponent <= 0)
            return negative ? -0.0 : 0.0;
        return negative ? -HUGE_VAL : HUGE_VAL;
    }

    int hex4()
    {
        if (m_pos + 4 > m_text.size())
            return -1;
        int v = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = m_text[m_pos + static_cast<std::size_t>(k)];
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= c - '0';
            else if (c >= 'a' && c <= 'f')
                v |= c - 'a' + 10;
            else if (c >= 'A' && c <= 'F')
                v |= c - 'A' + 10;
            else
                return -1;
        }
        m_pos += 4;
        return v;
    }

    Result<std::string> parseString()
    {
        ++m_pos; // opening quote
        std::string out;
        const std::size_t start = m_pos;
        for (;;) {
            if (m_pos >= m_text.size())
                return fail("unterminated string");
            const char c = m_text[m_pos];
            if (c == '"') {
                ++m_pos;
                break;
            }
            if (static_cast<unsigned char>(c) < 0x20)
                return fail("control character in a string");
            if (c != '\\') {
                out.push_back(c);
                ++m_pos;
                continue;
            }
            ++m_pos;
            if (m_pos >= m_text.size())
                return fail("unterminated escape");
            const char e = m_text[m_pos++];
            switch (e) {
            case '"':
            case '\\':
            case '/':
                out.push_back(e);
                break;
            case 'b':
                out.push_back('\b');
                break;
            case 'f':
                out.push_back('\f');
                break;
            case 'n':
                out.push_back('\n');
                break;
            case 'r':
                out.push_back('\r');
                break;
            case 't':
                out.push_back('\t');
                break;
            case 'u': {
                int cp = hex4();
                if (cp < 0)
                    return fail("bad \\u escape");
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (m_text.substr(m_pos, 2) != "\\u")
                        return fail("unpaired surrogate in \\u escape");
                    m_pos += 2;
                    const int lo = hex4();
                    if (lo < 0xDC00 || lo > 0xDFFF)
                        return fail("unpaired surrogate in \\u escape");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    return fail("unpaired surrogate in \\u escape");
                }
                text::appendUtf8(out, static_cast<char32_t>(cp));
                break;
            }
            default:
                return fail("unknown escape");
            }
        }
        if (!text::isValidUtf8(out)) {
            m_pos = start;
            return fail("string is not valid UTF-8");
        }
        return out;
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
};

} // namespace

Result<JsonValue> parseJson(std::string_view text) { return Parser(text).parseDocument(); }

void appendJsonString(std::string &out, std::string_view s)
{
    // Text from older stores or from file names may hold bytes that are
    // not UTF-8; JSON must not, so they are written as U+FFFD.
    std::string valid;
    if (!text::isValidUtf8(s)) {
        valid = text::toValidUtf8(s);
        s = valid;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    for (const char c : s) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (u < 0x20) {
                out += "\\u00";
                out.push_back(kHex[u >> 4]);
                out.push_back(kHex[u & 15]);
            } else {
                out.push_back(c);
            }
        }
    }
    out.push_back('"');
}

void JsonWriter::separate()
{
    if (m_afterKey) {
        m_afterKey = false;
        return;
    }
    if (!m_first.empty()) {
        if (!m_first.back())
            m_out.push_back(',');
        m_first.back() = false;
    }
}

JsonWriter &JsonWriter::beginObject()
{
    separate();
    m_out.push_back('{');
    m_first.push_back(true);
    return *this;
}

JsonWriter &JsonWriter::endObject()
{
    m_out.push_back('}');
    m_first.pop_back();
    return *this;
}

JsonWriter &JsonWriter::beginArray()
{
    separate();
    m_out.push_back('[');
    m_first.push_back(true);
    return *this;
}

JsonWriter &JsonWriter::endArray()
{
    m_out.push_back(']');
    m_first.pop_back();
    return *this;
}

JsonWriter &JsonWriter::key(std::string_view k)
{
    separate();
    appendJsonString(m_out, k);
    m_out.push_back(':');
    m_afterKey = true;
    return *this;
}

JsonWriter &JsonWriter::value(std::string_view s)
{
    separate();
    appendJsonString(m_out, s);
    return *this;
}

JsonWriter &JsonWriter::value(std::int64_t n)
{
    separate();
    m_out += std::to_string(n);
    return *this;
}

JsonWriter &JsonWriter::value(double d)
{
    separate();
    if (!std::isfinite(d)) {
        m_out += "null";
        return *this;
    }
    // Six significant digits, as "%.6g" would write them in the C locale,
    // but never with a locale's decimal comma.
    char buf[32];
    const auto written = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::general, 6);
    m_out.append(buf, written.ptr);
    return *this;
}

JsonWriter &JsonWriter::value(bool b)
{
    separate();
    m_out += b ? "true" : "false";
    return *this;
}

JsonWriter &JsonWriter::null()
{
    separate();
    m_out += "null";
    return *this;
}

} // namespace lede
