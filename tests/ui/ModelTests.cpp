#include "UiTestUtil.h"

#include "core/search/Search.h"
#include "ui/documents/DocumentListModel.h"
#include "ui/entities/EntityModel.h"
#include "ui/search/SearchResultModel.h"
#include "ui/dialogs/TypeListModel.h"
#include "ui/dialogs/TypesDialog.h"

#include <QAbstractItemModelTester>

using namespace lede;
using namespace lede::test;
using lede::ui::toQString;

namespace {

/// Fills a store with `n` short documents, each mentioning a company and
/// a nation as suggestions (the company every third document).
void fill(StoreFixture &f, int n)
{
    for (int i = 0; i < n; ++i) {
        const std::string title = "Report " + std::to_string(1000 + i);
        std::string text = title + "\n\nAnalysts in Spain said on day " + std::to_string(i) + " that";
        std::vector<NewAnnotation> annotations = {suggestion(25, 30, "NATION")};
        if (i % 3 == 0) {
            const auto start = static_cast<std::int64_t>(lede::text::codePointCount(text)) + 1;
            text += " Microsoft was hit.";
            annotations.push_back(suggestion(start, start + 9, "COMPANY"));
        }
        f.addDocument(title, text + "\n", annotations);
    }
}

} // namespace

TEST_CASE("the document list fetches rows in pages and passes the model tester")
{
    StoreFixture f;
    fill(f, 300); // more than two pages
    ui::DocumentListModel model(&f.workspace);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    REQUIRE(waitUntil([&] { return model.rowCount() == 300; }));
    CHECK(model.columnCount() == 1 + 5 + 3);
    CHECK(model.data(model.index(0, 0)).toString() == QStringLiteral("Report 1000"));
    const int nation = 1 + 2;  // the third type column
    const int company = 1 + 1; // the second
    CHECK(model.headerData(nation, Qt::Horizontal, Qt::ToolTipRole).toString().contains(QStringLiteral("NATION")));
    CHECK(model.data(model.index(0, nation)).toString() == QStringLiteral("1"));
    CHECK(model.data(model.index(0, company)).toString() == QStringLiteral("1"));
    CHECK(model.data(model.index(1, company)).toString().isEmpty());
    CHECK(model.data(model.index(0, model.reviewColumn())).toString() == QStringLiteral("2"));
    CHECK(model.data(model.index(299, model.reviewColumn())).toString() == QStringLiteral("1"));
    CHECK(model.data(model.index(250, 0), ui::DocumentListModel::DocumentIdRole).value<qint64>() == model.documentId(250));
}

TEST_CASE("the document list sorts and filters in the store")
{
    StoreFixture f;
    fill(f, 30);
    ui::DocumentListModel model(&f.workspace);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    REQUIRE(waitUntil([&] { return model.rowCount() == 30; }));

    QSignalSpy reloaded(&model, &ui::DocumentListModel::listReloaded);
    model.sort(ui::DocumentListModel::kTitleColumn, Qt::DescendingOrder);
    REQUIRE(reloaded.wait(5000));
    CHECK(model.data(model.index(0, 0)).toString() == QStringLiteral("Report 1029"));

    // Documents mentioning Microsoft first, by the COMPANY column.
    model.sort(2, Qt::DescendingOrder);
    REQUIRE(reloaded.wait(5000));
    CHECK(model.data(model.index(0, 2)).toString() == QStringLiteral("1"));
    CHECK(model.data(model.index(29, 2)).toString().isEmpty());

    model.setFilterText(QStringLiteral("report 101"));
    REQUIRE(reloaded.wait(5000));
    CHECK(model.rowCount() == 10); // 1010 … 1019

    model.setFilterText(QString());
    REQUIRE(reloaded.wait(5000));
    auto ids = f.store().documentIds();
    const auto microsoft = f.store().annotations(ids->front())->back().entityId;
    model.setEntityFilter(microsoft, QStringLiteral("Microsoft"));
    REQUIRE(reloaded.wait(5000));
    CHECK(model.rowCount() == 10);
}

TEST_CASE("the document list grows in place when an import adds documents")
{
    StoreFixture f;
    fill(f, 5);
    ui::DocumentListModel model(&f.workspace);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    REQUIRE(waitUntil([&] { return model.rowCount() == 5; }));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    f.addDocument("Late", "Late news from Spain.\n");
    f.workspace.notifyDocumentsChanged();
    REQUIRE(waitUntil([&] { return model.rowCount() == 6; }));
    CHECK(inserted.count() == 1);
    CHECK(reset.count() == 0);
}

TEST_CASE("the entity model groups a document's mentions by type and passes the model tester")
{
    StoreFixture f;
    const auto id = f.addDocument("T", "Brad Smith met Smith in Spain.\n",
                                  {suggestion(0, 10, "PERSON", "Brad Smith"), suggestion(15, 20, "PERSON", "Brad Smith"),
                                   suggestion(24, 29, "NATION")});
    ui::EntityModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setTypes(f.workspace.types());
    model.setDocumentAnnotations(*f.store().annotations(id));
    REQUIRE(model.rowCount() == 2);
    CHECK(model.index(0, 0).data().toString() == QStringLiteral("PERSON"));
    const QModelIndex person = model.index(0, 0);
    REQUIRE(model.rowCount(person) == 1);
    CHECK(model.index(0, ui::EntityModel::NameColumn, person).data().toString() == QStringLiteral("Brad Smith"));
    CHECK(model.index(0, ui::EntityModel::MentionsColumn, person).data().toString() == QStringLiteral("2"));
    CHECK(model.index(0, 0, person).data(ui::EntityModel::SuggestionsRole).value<qint64>() == 2);

    Search search(f.store());
    auto entities = search.entities();
    REQUIRE(entities.ok());
    std::vector<ui::EntityModel::CorpusEntity> corpus;
    for (const EntityCount &e : *entities)
        corpus.push_back({e.id, e.name, e.type, e.documents, e.mentions});
    model.setCorpusEntities(corpus);
    CHECK(model.rowCount() == 2);
    CHECK(model.indexOfEntity(entities->front().id).isValid());
}

TEST_CASE("the type list shows the store's types, edits keys and passes the model tester")
{
    StoreFixture f;
    ui::TypeListModel model(&f.workspace);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    REQUIRE(model.rowCount() == 5);
    CHECK(model.index(0, ui::TypeListModel::NameColumn).data().toString() == QStringLiteral("PERSON"));
    CHECK(model.index(0, ui::TypeListModel::KeyColumn).data().toString() == QStringLiteral("1"));
    CHECK(model.setData(model.index(0, ui::TypeListModel::KeyColumn), QStringLiteral("p")));
    CHECK(f.workspace.typeForKey(QStringLiteral("P"))->name == "PERSON");
    // A key another type has is refused.
    QSignalSpy error(&model, &ui::TypeListModel::errorOccurred);
    CHECK_FALSE(model.setData(model.index(1, ui::TypeListModel::KeyColumn), QStringLiteral("p")));
    CHECK(error.count() == 1);
}

TEST_CASE("the types dialog adds a type with colour and key and changes colours")
{
    StoreFixture f;
    ui::TypesDialog dialog(&f.workspace);
    QAbstractItemModelTester tester(dialog.model(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    REQUIRE(dialog.addType(QStringLiteral("Malware"), QColor(QStringLiteral("#0c8599")), QStringLiteral("6")));
    auto malware = f.workspace.type(QStringLiteral("MALWARE"));
    REQUIRE(malware.has_value());
    CHECK(malware->color == "#0c8599");
    CHECK(malware->shortcut == "6");
    CHECK(dialog.model()->rowCount() == 6);
    CHECK_FALSE(dialog.addType(QStringLiteral("Malware"), QColor(Qt::red), QString()));

    ui::TypesDialog::setColorPicker([](const QColor &) { return QColor(QStringLiteral("#123456")); });
    REQUIRE(dialog.changeColor(0));
    ui::TypesDialog::setColorPicker({});
    CHECK(f.workspace.type(QStringLiteral("PERSON"))->color == "#123456");
    // Colours are kept in the store.
    auto types = f.store().types();
    CHECK(types->front().color == "#123456");
}

TEST_CASE("search results carry snippets with marked matches and pass the model tester")
{
    StoreFixture f;
    fill(f, 12);
    Search search(f.store());
    auto results = search.search("Microsoft");
    REQUIRE(results.ok());
    ui::SearchResultModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.setResults(*results);
    REQUIRE(model.rowCount() == 4);
    CHECK(model.index(0, 0).data(ui::SearchResultModel::SnippetHtmlRole).toString().contains(QStringLiteral("<b>Microsoft</b>")));
    CHECK_FALSE(model.hit(0)->matches.empty());
    CHECK(ui::SearchResultModel::markMatches(toQString("😀 a<b"), {{2, 3}}) == QStringLiteral("😀 <b>a</b>&lt;b"));
}
