#pragma once

#include "StoreTestUtil.h"
#include "TestUtil.h"

#include "core/store/Store.h"
#include "core/text/Text.h"
#include "ui/base/QtText.h"
#include "ui/app/Workspace.h"

#include <catch2/catch.hpp>

#include <QSignalSpy>
#include <QString>
#include <QTest>

#include <memory>
#include <string>

namespace lede::test {

/// A workspace on a fresh store file in a temporary folder (a file, not
/// ":memory:", because background readers open their own connections).
struct StoreFixture {
    TempDir dir;
    std::string path = dir.file("store.sqlite");
    ui::Workspace workspace;

    StoreFixture()
    {
        auto st = workspace.open(ui::toQString(path));
        REQUIRE(st.ok());
    }

    Store &store() { return workspace.store(); }

    std::int64_t addDocument(const std::string &title, const std::string &text, const std::vector<NewAnnotation> &annotations = {})
    {
        return test::addDocument(store(), title, text, annotations);
    }
};

/// Waits (running the event loop) until `condition` holds; false after
/// `ms` milliseconds.
template <typename Condition>
bool waitUntil(Condition condition, int ms = 5000)
{
    return QTest::qWaitFor(condition, ms);
}

} // namespace lede::test
