#include "core/io/Json.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

using namespace lede;

TEST_CASE("JSON numbers are written with six significant digits and a decimal point", "[json]")
{
    std::string out;
    JsonWriter w(out);
    w.beginArray().value(0.82).value(0.8199999928474426).value(1.0).value(1e-7).value(123456789.0).value(-2.5);
    w.value(std::nan("")).endArray();
    CHECK(out == "[0.82,0.82,1,1e-07,1.23457e+08,-2.5,null]");
}

TEST_CASE("JSON numbers are read exactly; past a double's range they are refused, below it they are zero", "[json]")
{
    auto parsed = parseJson("[0.5, -0.125, 1e3, 2E-2, 1e-999, 0.000001e-400, 12345678901234567890, -7]");
    REQUIRE(parsed.ok());
    const auto &a = parsed->asArray();
    REQUIRE(a.size() == 8);
    CHECK(a[0].asDouble() == 0.5);
    CHECK(a[1].asDouble() == -0.125);
    CHECK(a[2].asDouble() == 1000.0);
    CHECK(a[3].asDouble() == 0.02);
    CHECK(a[4].asDouble() == 0.0);
    CHECK(a[5].asDouble() == 0.0);
    CHECK_FALSE(a[6].isInteger()); // past an int64: a double
    CHECK(a[6].asDouble() == Approx(1.2345678901234567e19));
    CHECK(a[7].isInteger());
    CHECK(a[7].asInt() == -7);

    auto huge = parseJson("{\"confidence\":\n  1e999}");
    REQUIRE_FALSE(huge.ok());
    CHECK(huge.kind() == ErrorKind::InvalidInput);
    CHECK(huge.message().rfind("invalid JSON at line 2, column ", 0) == 0);
    CHECK(huge.message().find("1e999") != std::string::npos);
}

TEST_CASE("JSON errors name the line and column", "[json]")
{
    auto bad = parseJson("{\"a\": 1,\n \"b\": tru}");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.message().rfind("invalid JSON at line 2, column ", 0) == 0);
    CHECK(bad.message().find("invalid literal") != std::string::npos);
    CHECK(parseJson("[1, 2] 3").message().rfind("invalid JSON at line 1, column ", 0) == 0);
    CHECK_FALSE(parseJson("").ok());
    CHECK_FALSE(parseJson("\"\xff\"").ok()); // not UTF-8
    CHECK(parseJson(std::string(300, '[') + std::string(300, ']')).message().find("nested too deeply") != std::string::npos);
    CHECK(parseJson(std::string(200, '[') + std::string(200, ']')).ok());
}

TEST_CASE("a JSON stream hands over one array's elements as they are read and keeps the rest", "[json]")
{
    std::vector<std::string> titles;
    JsonStream stream{"documents", [&](const JsonValue &doc, std::size_t index) -> Status {
                          CHECK(index == titles.size());
                          titles.push_back(doc.find("title")->asString());
                          return {};
                      }};
    auto root = parseJson(R"({"format": "x", "documents": [{"title": "a"}, {"title": "b", "nested": [1, [2]]}],
                              "types": [{"name": "PERSON"}]})",
                          &stream);
    REQUIRE(root.ok());
    CHECK(titles == std::vector<std::string>{"a", "b"});
    CHECK(root->find("documents")->asArray().empty());
    CHECK(root->find("types")->asArray().size() == 1);
    CHECK(root->find("format")->asString() == "x");

    // An array of that name deeper down is no concern of the stream's.
    titles.clear();
    auto deeper = parseJson(R"({"inner": {"documents": [{"title": "kept"}]}})", &stream);
    REQUIRE(deeper.ok());
    CHECK(titles.empty());
    CHECK(deeper->find("inner")->find("documents")->asArray().size() == 1);

    // An error from the stream stops the reading and is the result.
    JsonStream refusing{"documents", [](const JsonValue &, std::size_t index) -> Status {
                            if (index == 1)
                                return makeError("document 2 is wrong", ErrorKind::InvalidInput);
                            return {};
                        }};
    auto stopped = parseJson(R"({"documents": [{}, {}, {}]})", &refusing);
    REQUIRE_FALSE(stopped.ok());
    CHECK(stopped.message() == "document 2 is wrong");
}
