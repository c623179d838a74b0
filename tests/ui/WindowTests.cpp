#include "UiTestUtil.h"

#include "ui/article/ArticlePane.h"
#include "ui/article/ArticleView.h"
#include "ui/documents/DocumentListModel.h"
#include "ui/documents/DocumentPanel.h"
#include "ui/entities/EntityModel.h"
#include "ui/entities/EntityPanel.h"
#include "ui/io/ExportDialog.h"
#include "ui/io/ImportDialog.h"
#include "ui/app/MainWindow.h"
#include "ui/dialogs/MessageBox.h"
#include "ui/app/Samples.h"
#include "ui/search/SearchPanel.h"
#include "ui/search/SearchResultModel.h"

#include <QApplication>
#include <QDir>
#include <QMimeData>
#include <QUrl>
#include <QLineEdit>
#include <QSettings>
#include <QTableView>
#include <QTreeView>
#include <QUndoStack>

using namespace lede;
using namespace lede::test;
using lede::ui::toQString;

namespace {

const std::string kArticle = "Grid attack\n\nSandworm attacked the grid in Ukraine. Microsoft said Sandworm is Russian.\n";

} // namespace

TEST_CASE("importing a folder through the import dialog tags new articles and lists failures")
{
    StoreFixture f;
    TempDir in;
    in.write("a.txt", "First\n\nMicrosoft and Google met in Spain.\n");
    in.write("sub/b.md", "# Second\n\nBrad Smith of Microsoft spoke.\n");
    in.write("c.html", "<html><head><title>Third</title></head><body><p>Russia and Ukraine.</p></body></html>");
    in.write("broken.json", "{ this is not json");
    in.write("notes.bin", "ignored");

    ui::ImportDialog dialog(&f.workspace);
    QSignalSpy finished(&dialog, &ui::ImportDialog::importFinished);
    QSignalSpy documents(&f.workspace, &ui::Workspace::documentsChanged);
    dialog.start({toQString(in.path().string())});
    CHECK(dialog.isRunning());
    REQUIRE(finished.wait(30000));
    CHECK_FALSE(dialog.isRunning());
    REQUIRE_FALSE(dialog.error().has_value());
    CHECK(dialog.report().imported == 3);
    REQUIRE(dialog.report().failures.size() == 1);
    CHECK(dialog.report().failures[0].path.find("broken.json") != std::string::npos);
    CHECK_FALSE(dialog.report().failures[0].reason.empty());
    CHECK(documents.count() >= 1);

    auto ids = f.store().documentIds();
    REQUIRE(ids->size() == 3);
    // The tagger ran: the articles come with suggestions.
    std::size_t suggestions = 0;
    for (const auto id : *ids)
        suggestions += f.store().annotations(id)->size();
    CHECK(suggestions > 0);

    // Importing the same folder again adds nothing.
    dialog.start({toQString(in.path().string())});
    REQUIRE(finished.wait(30000));
    CHECK(dialog.report().imported == 0);
    CHECK(dialog.report().duplicates == 3);
}

TEST_CASE("an import cancelled at once leaves only whole documents")
{
    StoreFixture f;
    TempDir in;
    for (int i = 0; i < 40; ++i)
        in.write("doc" + std::to_string(i) + ".txt", "Doc " + std::to_string(i) + "\n\nMicrosoft in Spain.\n");
    ui::ImportDialog dialog(&f.workspace);
    QSignalSpy finished(&dialog, &ui::ImportDialog::importFinished);
    dialog.start({toQString(in.path().string())});
    dialog.cancel();
    REQUIRE(finished.wait(30000));
    const auto imported = dialog.report().imported;
    CHECK(f.store().documentIds()->size() == imported);
    CHECK(imported <= 40);
}

TEST_CASE("the main window opens a store, lists its documents and shows the first")
{
    StoreFixture f;
    const auto id = f.addDocument("Grid attack", kArticle, {suggestion(13, 21, "ATTACK")});
    ui::MainWindow window(&f.workspace);
    window.show();
    REQUIRE(waitUntil([&] { return window.article()->documentId() == id; }));
    CHECK(window.documents()->model()->rowCount() == 1);
    CHECK(window.article()->view()->annotations().size() == 1);
    CHECK(window.windowTitle().contains(QStringLiteral("store.sqlite")));
    // The entity panel lists what the article mentions.
    REQUIRE(window.entities()->model()->rowCount() == 1);
    CHECK(window.entities()->model()->index(0, 0).data().toString() == QStringLiteral("ATTACK"));
}

TEST_CASE("searching shows results and opening one shows the document at the match")
{
    StoreFixture f;
    f.addDocument("Other", "Nothing to see here.\n");
    const auto id = f.addDocument("Grid attack", kArticle);
    f.addDocument("More", "Quiet day.\n");
    ui::MainWindow window(&f.workspace);
    window.show();
    REQUIRE(waitUntil([&] { return window.article()->documentId() != 0; }));

    QSignalSpy finished(window.search(), &ui::SearchPanel::searchFinished);
    window.searchField()->setText(QStringLiteral("sandworm"));
    QTest::keyClick(window.searchField(), Qt::Key_Return);
    REQUIRE(finished.wait(5000));
    CHECK(finished.at(0).at(0).value<qint64>() == 1);
    CHECK(window.sideTabs()->currentWidget() == window.search());
    REQUIRE(window.search()->model()->rowCount() == 1);

    QSignalSpy shown(window.article(), &ui::ArticlePane::documentShown);
    window.search()->openResult(0);
    REQUIRE(waitUntil([&] { return window.article()->documentId() == id; }));
    ui::ArticleView *view = window.article()->view();
    REQUIRE(view->searchMatches().size() == 2);
    // The first match is selected, so the view scrolled to it.
    CHECK(view->textCursor().selectedText() == QStringLiteral("Sandworm"));
}

TEST_CASE("the entity panel walks mentions and lists the documents mentioning an entity")
{
    StoreFixture f;
    const auto id = f.addDocument("Grid attack", kArticle, {suggestion(13, 21, "ATTACK"), suggestion(67, 75, "ATTACK")});
    f.addDocument("Second", "Sandworm again.\n", {suggestion(0, 8, "ATTACK")});
    f.addDocument("Third", "Nothing.\n");
    ui::MainWindow window(&f.workspace);
    window.show();
    REQUIRE(waitUntil([&] { return window.documents()->model()->rowCount() == 3; }));
    window.documents()->selectDocument(id);
    REQUIRE(waitUntil([&] { return window.article()->documentId() == id; }));
    const auto entity = window.article()->view()->annotations().front().entityId;

    ui::EntityPanel *panel = window.entities();
    REQUIRE(panel->walkMentions(entity));
    CHECK(window.article()->view()->currentAnnotation()->start == 13);
    REQUIRE(panel->walkMentions(entity));
    CHECK(window.article()->view()->currentAnnotation()->start == 67);
    REQUIRE(panel->walkMentions(entity));
    CHECK(window.article()->view()->currentAnnotation()->start == 13);

    QSignalSpy corpus(panel, &ui::EntityPanel::corpusLoaded);
    panel->setScope(ui::EntityPanel::Scope::Corpus);
    REQUIRE(corpus.wait(5000));
    const QModelIndex found = panel->model()->indexOfEntity(entity);
    REQUIRE(found.isValid());
    CHECK(found.sibling(found.row(), ui::EntityModel::DocumentsColumn).data().toString() == QStringLiteral("2"));

    QSignalSpy reloaded(window.documents()->model(), &ui::DocumentListModel::listReloaded);
    Q_EMIT panel->documentsMentioningRequested(entity, QStringLiteral("Sandworm"));
    REQUIRE(reloaded.wait(5000));
    CHECK(window.documents()->model()->rowCount() == 2);
}

TEST_CASE("the export dialog writes the chosen documents and statuses")
{
    StoreFixture f;
    const auto id = f.addDocument("Grid attack", kArticle, {suggestion(13, 21, "ATTACK")});
    f.addDocument("Second", "Sandworm again.\n", {suggestion(0, 8, "ATTACK")});
    TempDir out;
    ui::ExportDialog::Choices choices;
    choices.current = id;
    choices.total = 2;
    ui::ExportDialog dialog(&f.workspace, choices);
    QSignalSpy finished(&dialog, &ui::ExportDialog::exportFinished);

    dialog.setFormat(ExportFormat::Json);
    dialog.setScope(ui::ExportDialog::Scope::Current);
    dialog.setDestination(toQString(out.file("one.json")));
    REQUIRE(dialog.startExport());
    REQUIRE(finished.wait(10000));
    CHECK(finished.at(0).at(0).toBool());
    const std::string json = readFile(out.file("one.json"));
    CHECK(json.find("lede.corpus/1") != std::string::npos);
    CHECK(json.find("Grid attack") != std::string::npos);
    CHECK(json.find("Sandworm again") == std::string::npos);

    dialog.setFormat(ExportFormat::Csv);
    dialog.setScope(ui::ExportDialog::Scope::All);
    dialog.setStatuses({AnnotationStatus::Accepted});
    dialog.setDestination(toQString(out.file("all.csv")));
    REQUIRE(dialog.startExport());
    REQUIRE(finished.wait(10000));
    CHECK(finished.at(1).at(0).toBool());
    // Only accepted annotations were asked for, and there are none.
    const std::string csv = readFile(out.file("all.csv"));
    CHECK(csv.find("Sandworm") == std::string::npos);
}

TEST_CASE("the window remembers recent stores and offers the samples on an empty store")
{
    StoreFixture f;
    ui::MainWindow window(&f.workspace);
    TempDir other;
    const QString second = toQString(other.file("second.sqlite"));
    REQUIRE(window.openStore(second));
    CHECK(ui::MainWindow::recentStores().front() == second);
    CHECK(QSettings().value(QStringLiteral("store/last")).toString() == second);

    REQUIRE_FALSE(ui::bundledSamplesDir().isEmpty());
    ui::MessageBox::setNextAnswer(QMessageBox::Yes);
    window.offerSamplesIfEmpty();
    auto *dialog = window.findChild<ui::ImportDialog *>();
    REQUIRE(dialog != nullptr);
    QSignalSpy finished(dialog, &ui::ImportDialog::importFinished);
    REQUIRE((dialog->isRunning() ? finished.wait(30000) : true));
    CHECK(f.workspace.store().documentIds()->size() >= 5);
}

TEST_CASE("files dropped on the window are imported")
{
    StoreFixture f;
    TempDir in;
    in.write("dropped.txt", "Dropped\n\nMicrosoft in Spain.\n");
    ui::MainWindow window(&f.workspace);
    window.show();
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(toQString(in.path().string()))});
    QDragEnterEvent enter(QPoint(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    CHECK(enter.isAccepted());
    QDropEvent drop(QPointF(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    auto *dialog = window.findChild<ui::ImportDialog *>();
    REQUIRE(dialog != nullptr);
    QSignalSpy finished(dialog, &ui::ImportDialog::importFinished);
    REQUIRE((dialog->isRunning() ? finished.wait(30000) : true));
    CHECK(dialog->report().imported == 1);
    REQUIRE(waitUntil([&] { return window.documents()->model()->rowCount() == 1; }));
}

TEST_CASE("Ctrl+Z and Ctrl+Shift+Z in the window undo and redo an annotation")
{
    StoreFixture f;
    const auto id = f.addDocument("Grid attack", kArticle);
    ui::MainWindow window(&f.workspace);
    window.show();
    window.activateWindow();
    REQUIRE(QTest::qWaitForWindowActive(&window));
    REQUIRE(waitUntil([&] { return window.article()->documentId() == id; }));
    ui::ArticleView *view = window.article()->view();
    view->setFocus();
    view->selectRange({13, 21}); // "Sandworm"
    QTest::keyClick(view, Qt::Key_4);
    REQUIRE(f.store().annotations(id)->size() == 1);
    CHECK(f.store().annotations(id)->at(0).type == "ATTACK");
    QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier);
    CHECK(f.store().annotations(id)->empty());
    QTest::keyClick(view, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    CHECK(f.store().annotations(id)->size() == 1);
}

TEST_CASE("opening another store shows its documents and its first article")
{
    StoreFixture f;
    const auto first = f.addDocument("Grid attack", kArticle);
    ui::MainWindow window(&f.workspace);
    window.show();
    REQUIRE(waitUntil([&] { return window.article()->documentId() == first; }));

    TempDir other;
    const std::string path = other.file("other.sqlite");
    {
        auto store = Store::open(path);
        REQUIRE(store.ok());
        NewDocument a;
        a.title = "Other one";
        a.text = "Other one\n\nQuiet.\n";
        NewDocument b;
        b.title = "Other two";
        b.text = "Other two\n\nQuieter.\n";
        REQUIRE((*store)->addDocument(a).ok());
        REQUIRE((*store)->addDocument(b).ok());
    }
    REQUIRE(window.openStore(toQString(path)));
    REQUIRE(waitUntil([&] { return window.documents()->model()->rowCount() == 2 && window.article()->documentId() != 0; }));
    CHECK(window.article()->view()->article()->info.title == "Other one");
    CHECK(f.workspace.undoStack()->count() == 0);
}
