#include "StoreTestUtil.h"
#include "TestUtil.h"

#include "core/store/Database.h"
#include "core/store/Store.h"
#include "core/store/StoreAccess.h"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

using namespace lede;
namespace fs = std::filesystem;

TEST_CASE("an immutable open reads a store whose path has characters URIs give a meaning to", "[store][reliability]")
{
    test::TempDir dir;
    const std::string path = dir.file("100% sure? #1 & co.sqlite");
    test::addDocument(*test::openStore(path), "Kept", "Kept\n\nAcme Corp.\n");
    REQUIRE_FALSE(fs::exists(path + "-wal"));

    auto db = Database::open(path, Database::Mode::Immutable);
    REQUIRE(db.ok());
    CHECK(*(*db)->queryInt("SELECT count(*) FROM documents") == 1);
    CHECK_FALSE((*db)->exec("CREATE TABLE t (x)").ok());
    db->reset();
    // Nothing was created beside the store, nor under a mangled name.
    CHECK(fs::exists(path));
    CHECK_FALSE(fs::exists(path + "-wal"));
    CHECK_FALSE(fs::exists(path + "-shm"));
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto &entry : fs::directory_iterator(dir.path()))
        ++entries;
    CHECK(entries == 1);
}

TEST_CASE("storeReadOnlyReason says nothing of stores that can be written or do not exist yet", "[store][reliability]")
{
    test::TempDir dir;
    CHECK_FALSE(storeReadOnlyReason(":memory:"));
    CHECK_FALSE(storeReadOnlyReason(dir.file("missing.sqlite")));
    const std::string path = dir.file("store.sqlite");
    REQUIRE(Store::open(path).ok());
    CHECK_FALSE(storeReadOnlyReason(path));

    // Root writes whatever the modes say; the rest is for other users (the
    // CLI tests cover it under root by running lede-cli as another user).
    if (::geteuid() == 0)
        return;
    fs::permissions(path, fs::perms::owner_read, fs::perm_options::replace);
    CHECK(storeReadOnlyReason(path) == "the file is not writable");
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
    fs::permissions(dir.path(), fs::perms::owner_read | fs::perms::owner_exec, fs::perm_options::replace);
    const auto folder = storeReadOnlyReason(path);
    fs::permissions(dir.path(), fs::perms::owner_all, fs::perm_options::replace);
    REQUIRE(folder);
    CHECK(*folder == "its folder is not writable, and SQLite needs to create " + path + "-wal there");
}
