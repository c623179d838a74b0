#pragma once

#include "core/base/Result.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace lede {

class JsonBuilder;

/// A parsed JSON value. Objects keep their members in document order;
/// numbers keep an exact integer when the text was one.
class JsonValue {
public:
    enum class Kind { Null, Bool, Number, String, Array, Object };
    using Array = std::vector<JsonValue>;
    using Object = std::vector<std::pair<std::string, JsonValue>>;

    JsonValue() = default;
    static JsonValue boolean(bool b);
    static JsonValue number(double d, bool isInteger, std::int64_t integer);
    static JsonValue string(std::string s);

    Kind kind() const { return m_kind; }
    bool isNull() const { return m_kind == Kind::Null; }
    bool isBool() const { return m_kind == Kind::Bool; }
    bool isNumber() const { return m_kind == Kind::Number; }
    bool isInteger() const { return m_kind == Kind::Number && m_isInteger; }
    bool isString() const { return m_kind == Kind::String; }
    bool isArray() const { return m_kind == Kind::Array; }
    bool isObject() const { return m_kind == Kind::Object; }

    bool asBool() const { return m_bool; }
    double asDouble() const { return m_number; }
    std::int64_t asInt() const { return m_integer; }
    const std::string &asString() const { return m_string; }
    const Array &asArray() const { return m_array; }
    const Object &asObject() const { return m_object; }

    /// Member of an object, or nullptr when absent or not an object.
    const JsonValue *find(std::string_view key) const;

private:
    friend class JsonBuilder;
    Kind m_kind = Kind::Null;
    bool m_bool = false;
    bool m_isInteger = false;
    double m_number = 0;
    std::int64_t m_integer = 0;
    std::string m_string;
    Array m_array;
    Object m_object;
};

/// Hands over the elements of one array as they are read instead of
/// keeping them: the array that is the value of the root object's member
/// `member` (a Lede export's "documents"). An import then holds one
/// document's tree at a time however long the file. An error from
/// `element` stops the reading and is the result.
struct JsonStream {
    std::string member;
    std::function<Status(const JsonValue &element, std::size_t index)> element;
};

/// Parses one JSON text (RFC 8259) with nlohmann-json. Strings must be
/// valid UTF-8; nesting is limited to 256 levels; a number past a
/// double's range is refused. Errors name the line and column. With a
/// stream, the streamed array is left empty in the result.
Result<JsonValue> parseJson(std::string_view text, const JsonStream *stream = nullptr);

/// Appends `s` to `out` as a JSON string literal (quotes included).
void appendJsonString(std::string &out, std::string_view s);

/// Streaming writer for compact JSON. The caller keeps calls balanced;
/// commas are inserted automatically.
class JsonWriter {
public:
    explicit JsonWriter(std::string &out) : m_out(out) {}

    JsonWriter &beginObject();
    JsonWriter &endObject();
    JsonWriter &beginArray();
    JsonWriter &endArray();
    JsonWriter &key(std::string_view k);
    JsonWriter &value(std::string_view s);
    /// A string value escaped a piece at a time, `flush` called after each
    /// piece (to hand the output on), so that a long text is never held
    /// escaped whole; stops at the first failure of `flush`.
    Status value(std::string_view s, const std::function<Status()> &flush);
    JsonWriter &value(const char *s) { return value(std::string_view(s)); }
    JsonWriter &value(const std::string &s) { return value(std::string_view(s)); }
    JsonWriter &value(std::int64_t n);
    JsonWriter &value(int n) { return value(static_cast<std::int64_t>(n)); }
    JsonWriter &value(double d);
    JsonWriter &value(bool b);
    JsonWriter &null();

private:
    void separate();
    std::string &m_out;
    std::vector<bool> m_first; // per open container: no member written yet
    bool m_afterKey = false;
};

} // namespace lede
