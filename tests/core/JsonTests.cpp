#include "core/io/Json.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

using namespace lede;

TEST_CASE("JSON numbers are written with six significant digits and a decimal point", "[json]")
{
    std::string out;
    JsonWriter w(out);
    w.beginArray().value(0.82).value(0.8199999928474426).value(1.0).value(1e-7).value(123456789.0).value(-2.5);
    w.value(std::nan("")).endArray();
    CHECK(out == "[0.82,0.82,1,1e-07,1.23457e+08,-2.5,null]");
}

TEST_CASE("JSON numbers are read exactly, and past a double's range as infinity or zero", "[json]")
{
    auto parsed = parseJson("[0.5, -0.125, 1e3, 2E-2, 1e999, -1e999, 1e-999, 0.000001e-400, 12345678901234567890]");
    REQUIRE(parsed.ok());
    const auto &a = parsed->asArray();
    REQUIRE(a.size() == 9);
    CHECK(a[0].asDouble() == 0.5);
    CHECK(a[1].asDouble() == -0.125);
    CHECK(a[2].asDouble() == 1000.0);
    CHECK(a[3].asDouble() == 0.02);
    CHECK(std::isinf(a[4].asDouble()));
    CHECK(a[4].asDouble() > 0);
    CHECK(std::isinf(a[5].asDouble()));
    CHECK(a[5].asDouble() < 0);
    CHECK(a[6].asDouble() == 0.0);
    CHECK(a[7].asDouble() == 0.0);
    CHECK(a[8].asDouble() == Approx(1.2345678901234567e19));
}
