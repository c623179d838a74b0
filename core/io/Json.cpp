#include "core/io/Json.h"

#include "core/text/Text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <optional>

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

constexpr std::size_t kMaxDepth = 256;

// "line 3, column 7" of byte `offset` in `text`, columns counting code
// points from 1.
std::string placeOf(std::string_view text, std::size_t offset)
{
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// What nlohmann-json says went wrong, without its exception's name and
// its own idea of the place ("syntax error while parsing value - invalid
// literal; last read: 'tru'").
std::string reasonOf(const std::exception &ex)
{
    std::string_view what = ex.what();
    if (const auto bracket = what.find("] "); what.substr(0, 1) == "[" && bracket != std::string_view::npos)
        what.remove_prefix(bracket + 2);
    if (what.substr(0, 12) == "parse error ") {
        what.remove_prefix(12);
        if (what.substr(0, 3) == "at ")
            if (const auto colon = what.find(": "); colon != std::string_view::npos)
                what.remove_prefix(colon + 2);
    }
    return std::string(what);
}

} // namespace

// Builds JsonValues from nlohmann-json's SAX events: the library reads and
// checks the text (RFC 8259, UTF-8, numbers without the C locale), Lede
// keeps its own light tree and streams the elements of one array.
class JsonBuilder {
public:
    JsonBuilder(std::string_view text, const JsonStream *stream) : m_text(text), m_stream(stream) {}

    bool null() { return add(JsonValue()); }
    bool boolean(bool b) { return add(JsonValue::boolean(b)); }
    bool number_integer(std::int64_t n) { return add(JsonValue::number(static_cast<double>(n), true, n)); }
    bool number_unsigned(std::uint64_t n)
    {
        if (n <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return number_integer(static_cast<std::int64_t>(n));
        return add(JsonValue::number(static_cast<double>(n), false, 0));
    }
    bool number_float(double d, const std::string &) { return add(JsonValue::number(d, false, 0)); }
    bool string(std::string &s) { return add(JsonValue::string(std::move(s))); }
    bool binary(nlohmann::json::binary_t &) { return fail(0, "binary values are not JSON text"); }
    bool start_object(std::size_t) { return open(JsonValue::Kind::Object); }
    bool key(std::string &k)
    {
        m_stack.back().key = std::move(k);
        return true;
    }
    bool end_object() { return close(); }
    bool start_array(std::size_t) { return open(JsonValue::Kind::Array); }
    bool end_array() { return close(); }
    bool parse_error(std::size_t position, const std::string &, const nlohmann::detail::exception &ex)
    {
        // The library counts the offending token as read: point at it.
        return fail(position > 0 ? position - 1 : 0, reasonOf(ex));
    }

    Result<JsonValue> result()
    {
        if (m_error)
            return *m_error;
        return std::move(m_root);
    }

private:
    struct Frame {
        JsonValue value;
        std::string key;     // the member being read, in an object
        bool streamed = false; // an array whose elements go to the stream
        std::size_t index = 0;
    };

    bool fail(std::size_t offset, const std::string &what)
    {
        if (!m_error)
            m_error = makeError("invalid JSON at " + placeOf(m_text, offset) + ": " + what, ErrorKind::InvalidInput);
        return false;
    }

    bool open(JsonValue::Kind kind)
    {
        if (m_stack.size() >= kMaxDepth)
            return fail(m_text.size(), "nested too deeply (more than " + std::to_string(kMaxDepth) + " levels)");
        Frame frame;
        frame.value.m_kind = kind;
        frame.streamed = m_stream && kind == JsonValue::Kind::Array && m_stack.size() == 1
            && m_stack.back().value.m_kind == JsonValue::Kind::Object && m_stack.back().key == m_stream->member;
        m_stack.push_back(std::move(frame));
        return true;
    }

    bool close()
    {
        Frame done = std::move(m_stack.back());
        m_stack.pop_back();
        return add(std::move(done.value));
    }

    bool add(JsonValue value)
    {
        if (m_stack.empty()) {
            m_root = std::move(value);
            return true;
        }
        Frame &parent = m_stack.back();
        if (parent.streamed) {
            if (Status st = m_stream->element(value, parent.index++); !st) {
                m_error = st.error();
                return false;
            }
            return true;
        }
        if (parent.value.m_kind == JsonValue::Kind::Array)
            parent.value.m_array.push_back(std::move(value));
        else
            parent.value.m_object.emplace_back(std::move(parent.key), std::move(value));
        return true;
    }

    std::string_view m_text;
    const JsonStream *m_stream;
    std::vector<Frame> m_stack;
    JsonValue m_root;
    std::optional<Error> m_error;
};

Result<JsonValue> parseJson(std::string_view text, const JsonStream *stream)
{
    JsonBuilder builder(text, stream);
    try {
        nlohmann::json::sax_parse(text.begin(), text.end(), &builder);
    } catch (const std::exception &ex) {
        return makeError("invalid JSON: " + reasonOf(ex), ErrorKind::InvalidInput);
    }
    return builder.result();
}

namespace {

// The characters of a JSON string, escaped, without its quotes.
void appendJsonChars(std::string &out, std::string_view s)
{
    // Text from older stores or from file names may hold bytes that are
    // not UTF-8; JSON must not, so they are written as U+FFFD.
    std::string valid;
    if (!text::isValidUtf8(s)) {
        valid = text::toValidUtf8(s);
        s = valid;
    }
    static constexpr char kHex[] = "0123456789abcdef";
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
}

} // namespace

void appendJsonString(std::string &out, std::string_view s)
{
    out.push_back('"');
    appendJsonChars(out, s);
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

Status JsonWriter::value(std::string_view s, const std::function<Status()> &flush)
{
    separate();
    m_out.push_back('"');
    constexpr std::size_t kPiece = 256u << 10;
    for (std::size_t from = 0; from < s.size();) {
        // Cut where a character starts, so that each piece is as valid
        // UTF-8 as the whole.
        std::size_t to = std::min(s.size(), from + kPiece);
        while (to < s.size() && (static_cast<unsigned char>(s[to]) & 0xC0) == 0x80)
            ++to;
        appendJsonChars(m_out, s.substr(from, to - from));
        from = to;
        LEDE_TRY(flush());
    }
    m_out.push_back('"');
    return {};
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
