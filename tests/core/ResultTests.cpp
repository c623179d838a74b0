#include "TestUtil.h"

#include "core/base/Result.h"
#include "core/store/Database.h"

#include <catch2/catch.hpp>

#include <memory>
#include <string>

using namespace lede;

namespace {

Result<int> parsed(const std::string &text)
{
    if (text.empty())
        return makeError("nothing to read", ErrorKind::InvalidInput);
    return std::stoi(text);
}

Status checked(bool fine)
{
    if (!fine)
        return makeError("the check failed", ErrorKind::Corrupt);
    return {};
}

// Adds two numbers read from text, or says why it cannot.
Result<int> sum(const std::string &a, const std::string &b, int &steps)
{
    LEDE_TRY_ASSIGN(const int x, parsed(a));
    ++steps;
    LEDE_TRY_ASSIGN(const int y, parsed(b));
    ++steps;
    return x + y;
}

Status both(bool first, bool second, int &steps)
{
    LEDE_TRY(checked(first));
    ++steps;
    LEDE_TRY(checked(second));
    ++steps;
    return {};
}

Result<std::unique_ptr<std::string>> boxed(bool fine)
{
    if (!fine)
        return makeError("no box", ErrorKind::NotFound);
    return std::make_unique<std::string>("Kaspersky");
}

Result<std::size_t> unboxedLength(bool fine)
{
    LEDE_TRY_ASSIGN(auto box, boxed(fine));
    return box->size();
}

} // namespace

TEST_CASE("LEDE_TRY and LEDE_TRY_ASSIGN go on with the value or return the callee's error, kind and all")
{
    int steps = 0;
    auto good = sum("2", "40", steps);
    REQUIRE(good.ok());
    CHECK(*good == 42);
    CHECK(steps == 2);

    steps = 0;
    auto bad = sum("2", "", steps);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.message() == "nothing to read");
    CHECK(bad.kind() == ErrorKind::InvalidInput);
    CHECK(steps == 1); // stopped at the second read

    steps = 0;
    CHECK(both(true, true, steps).ok());
    CHECK(steps == 2);
    steps = 0;
    auto failed = both(false, true, steps);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.kind() == ErrorKind::Corrupt);
    CHECK(steps == 0);

    // A move-only value is moved out of its Result.
    CHECK(*unboxedLength(true) == 9);
    CHECK(unboxedLength(false).kind() == ErrorKind::NotFound);
}

TEST_CASE("errors carry a kind callers can act on, and context keeps it")
{
    CHECK(makeError("anything").kind == ErrorKind::Failed);
    const Error e = prefixError("a.json: ", makeError("no such file", ErrorKind::NotFound));
    CHECK(e.message == "a.json: no such file");
    CHECK(e.kind == ErrorKind::NotFound);

    // SQLite's failures are sorted by their result code.
    auto db = Database::open(":memory:");
    REQUIRE(db.ok());
    REQUIRE((*db)->exec("CREATE TABLE t (x INTEGER); PRAGMA query_only = 1").ok());
    auto readOnly = (*db)->exec("INSERT INTO t VALUES (1)");
    REQUIRE_FALSE(readOnly.ok());
    CHECK(readOnly.kind() == ErrorKind::ReadOnly);
    auto wrong = (*db)->prepare("SELECT * FROM no_such_table");
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.kind() == ErrorKind::Failed);

    test::TempDir dir;
    auto notADatabase = Database::open(dir.write("junk.sqlite", std::string(4096, 'x')));
    REQUIRE(notADatabase.ok()); // SQLite reads the header only when asked
    auto read = (*notADatabase)->queryInt("SELECT count(*) FROM sqlite_schema");
    REQUIRE_FALSE(read.ok());
    CHECK(read.kind() == ErrorKind::InvalidInput);
}
