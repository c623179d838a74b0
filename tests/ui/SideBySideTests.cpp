// The desktop and lede-cli on one store at the same time. SQLite keeps the
// two apart with POSIX locks, which the desktop loses for good the moment
// any code in its process closes a descriptor on a store file; these tests
// run the desktop's own code paths that list or read files next to the
// store, then let a real lede-cli process write, and check that nothing
// either side wrote is lost.
#include "UiTestUtil.h"

#include "ProcessLocks.h"
#include "cli/CliRunner.h"
#include "core/store/StoreConnection.h"
#include "ui/io/FileDialogs.h"
#include "ui/io/ImportDialog.h"
#include "ui/app/MainWindow.h"
#include "ui/dialogs/MessageBox.h"

#include <QFileDialog>
#include <QFileSystemModel>

#include <filesystem>

using namespace lede;
using namespace lede::test;
using lede::ui::toQString;
namespace fs = std::filesystem;

namespace {

const std::string kText = "Acme Widgets opened an office in Norway, said Jane Doe.\n";

std::int64_t addArticle(Store &store, const std::string &title, const std::string &text)
{
    NewDocument doc;
    doc.title = title;
    doc.source = title + ".txt";
    doc.text = text;
    auto added = store.addDocument(doc);
    REQUIRE(added.ok());
    return added->id;
}

bool hasAnnotation(Store &store, std::int64_t doc, std::int64_t start, std::int64_t end, const std::string &type)
{
    auto all = store.annotations(doc);
    REQUIRE(all.ok());
    for (const Annotation &a : *all)
        if (a.start == start && a.end == end && a.type == type)
            return true;
    return false;
}

// Writes in turn while the desktop is open: lede-cli, the desktop, then
// lede-cli again. Each lede-cli, closing, must see the desktop's
// connections and leave the -wal alone; had it deleted the file, the
// desktop's write would go to a log no one else reads, and when the
// desktop closed, its checkpoint would overwrite the second lede-cli write.
void writeInTurns(const TempDir &dir, ui::Workspace &workspace, std::int64_t doc)
{
    const std::string path = dir.file("store.sqlite");
    const CliRun first = runCli(dir, {"annotate", std::to_string(doc), "--add", "0", "4", "ORGANIZATION", "--entity", "Test Org"});
    INFO(first.err);
    REQUIRE(first.status == 0);
    CHECK(fs::exists(path + "-wal"));
    CHECK(hasAnnotation(workspace.store(), doc, 0, 4, "ORGANIZATION"));
    REQUIRE(workspace.store().addAnnotation(doc, test::manual(5, 12, "COMPANY")).ok());
    const CliRun second = runCli(dir, {"annotate", std::to_string(doc), "--add", "33", "39", "NATION"});
    INFO(second.err);
    REQUIRE(second.status == 0);
    CHECK(hasAnnotation(workspace.store(), doc, 33, 39, "NATION"));
}

// After everything is closed: a fresh connection finds every write and a
// sound file.
void checkWritesLanded(const std::string &path, std::int64_t doc)
{
    auto reopened = Store::open(path);
    REQUIRE(reopened.ok());
    CHECK(hasAnnotation(**reopened, doc, 0, 4, "ORGANIZATION")); // lede-cli's
    CHECK(hasAnnotation(**reopened, doc, 5, 12, "COMPANY"));     // the desktop's
    CHECK(hasAnnotation(**reopened, doc, 33, 39, "NATION"));     // lede-cli's again
    CHECK(storeConnection(**reopened).queryInt("SELECT count(*) FROM pragma_quick_check WHERE quick_check <> 'ok'").value() == 0);
}

} // namespace

TEST_CASE("a file dialog showing the store's folder leaves the desktop's locks on the store alone")
{
    using ui::fileDialogs::Kind;
    TempDir dir;
    const std::string path = dir.file("store.sqlite");
    auto workspace = std::make_unique<ui::Workspace>();
    REQUIRE(workspace->open(toQString(path)).ok());
    const std::int64_t doc = addArticle(workspace->store(), "Acme", kText);
    REQUIRE(fs::exists(path + "-wal"));
    REQUIRE(fs::exists(path + "-shm"));
    REQUIRE(locksHeldOn(path) > 0);

    for (const Kind kind : {Kind::Folder, Kind::OpenFiles, Kind::OpenFile, Kind::SaveFile}) {
        CAPTURE(static_cast<int>(kind));
        auto dialog = ui::fileDialogs::make(nullptr, kind, QStringLiteral("Choose"), toQString(dir.path().string()));
        CHECK(dialog->testOption(QFileDialog::DontUseNativeDialog));
        auto *model = dialog->findChild<QFileSystemModel *>();
        REQUIRE(model != nullptr);
        QSignalSpy loaded(model, &QFileSystemModel::directoryLoaded);
        dialog->open();
        REQUIRE((loaded.count() > 0 || loaded.wait(10000)));
        // The model describes the listed files in batches after loading;
        // ask for every column and icon as the view does, then give the
        // batches time to arrive.
        QTest::qWait(800);
        const QModelIndex folder = model->index(toQString(dir.path().string()));
        for (int row = 0; row < model->rowCount(folder); ++row)
            for (int column = 0; column < model->columnCount(folder); ++column) {
                (void)model->data(model->index(row, column, folder), Qt::DisplayRole);
                (void)model->data(model->index(row, column, folder), Qt::DecorationRole);
            }
        QTest::qWait(200);
        CHECK(locksHeldOn(path) > 0);
        dialog->reject();
    }

    writeInTurns(dir, *workspace, doc);
    workspace.reset();
    checkWritesLanded(path, doc);
    CHECK(storeChecksOut(dir));
}

TEST_CASE("the desktop's import and a lede-cli write at the same time both land")
{
    TempDir dir;
    const std::string path = dir.file("store.sqlite");
    auto workspace = std::make_unique<ui::Workspace>();
    REQUIRE(workspace->open(toQString(path)).ok());
    const std::int64_t doc = addArticle(workspace->store(), "Acme", kText);
    // An article beside the store, and the store and its side files named
    // outright, as a careless drop of the whole folder's files would.
    dir.write("beside.txt", "Globex hired Tom Baker in Canada.\n");
    TempDir in;
    for (int i = 0; i < 30; ++i)
        in.write("a" + std::to_string(i) + ".txt", "Article " + std::to_string(i) + "\n\nMicrosoft and Google met in Spain on day "
                                                       + std::to_string(i) + ".\n");

    auto dialog = std::make_unique<ui::ImportDialog>(workspace.get());
    QSignalSpy finished(dialog.get(), &ui::ImportDialog::importFinished);
    dialog->start({toQString(path), toQString(path + "-wal"), toQString(path + "-shm"), toQString(dir.path().string()),
                   toQString(in.path().string())});
    const pid_t child = spawnCli(dir, {"annotate", std::to_string(doc), "--add", "0", "4", "ORGANIZATION", "--entity", "Test Org"});
    REQUIRE(finished.wait(60000));
    REQUIRE(waitCli(child) == 0);

    const ImportReport &report = dialog->report();
    CHECK(report.imported == 31);
    REQUIRE(report.failures.size() == 3);
    for (const ImportFailure &f : report.failures) {
        CAPTURE(f.path, f.reason);
        CHECK(f.reason.find("Lede has open") != std::string::npos);
    }
    CHECK(locksHeldOn(path) > 0);
    CHECK(fs::exists(path + "-wal"));
    CHECK(hasAnnotation(workspace->store(), doc, 0, 4, "ORGANIZATION"));
    REQUIRE(workspace->store().addAnnotation(doc, test::manual(5, 12, "COMPANY")).ok());
    const CliRun second = runCli(dir, {"annotate", std::to_string(doc), "--add", "33", "39", "NATION"});
    INFO(second.err);
    REQUIRE(second.status == 0);

    dialog.reset();
    workspace.reset();
    checkWritesLanded(path, doc);
    auto reopened = Store::open(path);
    REQUIRE(reopened.ok());
    CHECK((*reopened)->documentIds()->size() == 32);
    CHECK(storeChecksOut(dir));
}

TEST_CASE("File → Back Up writes a sound copy while lede-cli writes to the store")
{
    TempDir dir;
    const std::string path = dir.file("store.sqlite");
    auto workspace = std::make_unique<ui::Workspace>();
    REQUIRE(workspace->open(toQString(path)).ok());
    const std::int64_t doc = addArticle(workspace->store(), "Acme", kText);
    ui::MainWindow window(workspace.get());

    TempDir in;
    for (int i = 0; i < 200; ++i)
        in.write("a" + std::to_string(i) + ".txt", "Report " + std::to_string(i) + "\n\nMicrosoft met Google.\n");
    const pid_t writer = spawnCli(dir, {"import", "--quiet", in.path().string()});
    QSignalSpy finished(&window, &ui::MainWindow::backupFinished);
    const std::string copy = dir.file("backup.sqlite");
    window.backUpStoreTo(toQString(copy));
    REQUIRE(finished.wait(30000));
    CHECK(finished.at(0).at(0).toBool());
    CHECK(finished.at(0).at(1).toString().contains(QStringLiteral("Backed up the store to")));
    REQUIRE(waitCli(writer) == 0);

    // The copy is one file that opens and checks on its own, with at least
    // what the store held before the backup.
    CHECK_FALSE(fs::exists(copy + "-wal"));
    auto opened = Store::open(copy);
    REQUIRE(opened.ok());
    CHECK((*opened)->document(doc).ok());
    auto report = (*opened)->check();
    REQUIRE(report.ok());
    CHECK(report->problems.empty());
    opened->reset();
    CHECK(locksHeldOn(path) > 0);
    CHECK(storeChecksOut(dir));

    // A backup that cannot be written says why.
    window.backUpStoreTo(toQString(dir.path().string()));
    REQUIRE(finished.wait(30000));
    CHECK_FALSE(finished.at(1).at(0).toBool());
    CHECK(finished.at(1).at(1).toString().contains(QStringLiteral("it is a folder")));
}
