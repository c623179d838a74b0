#include "UiTestUtil.h"

#include "core/store/DeskOperations.h"
#include "ui/article/AnnotationEditor.h"
#include "ui/article/ArticlePane.h"
#include "ui/article/ArticleView.h"
#include "ui/dialogs/MessageBox.h"

#include <QUndoStack>

using namespace lede;
using namespace lede::test;
using lede::ui::toQString;

namespace {

/// An article pane showing one document, ready for keys.
struct OpenArticle : StoreFixture {
    ui::ArticlePane pane{&workspace};
    std::int64_t id = 0;

    explicit OpenArticle(const std::string &text, const std::vector<NewAnnotation> &annotations = {})
    {
        id = addDocument("Accord", text, annotations);
        QSignalSpy shown(&pane, &ui::ArticlePane::documentShown);
        pane.resize(900, 700);
        pane.show();
        pane.showDocument(id);
        REQUIRE(shown.wait(5000));
        REQUIRE(pane.documentId() == id);
        view()->setFocus();
    }

    ui::ArticleView *view() { return pane.view(); }

    /// Puts the cursor before the `nth` occurrence of `needle` (UTF-16).
    void cursorBefore(const QString &needle, int nth = 0)
    {
        const QString text = view()->article()->text;
        qsizetype at = -1;
        for (int i = 0; i <= nth; ++i)
            at = text.indexOf(needle, at + 1);
        REQUIRE(at >= 0);
        QTextCursor c = view()->textCursor();
        c.setPosition(static_cast<int>(at));
        view()->setTextCursor(c);
    }

    /// Extends the selection by `words` words, as Ctrl+Shift+Right does.
    void selectWords(int words)
    {
        for (int i = 0; i < words; ++i)
            QTest::keyClick(view(), Qt::Key_Right, Qt::ControlModifier | Qt::ShiftModifier);
    }

    std::vector<Annotation> annotations()
    {
        auto all = store().annotations(id);
        REQUIRE(all.ok());
        return *all;
    }

    std::string covered(const Annotation &a)
    {
        auto doc = store().document(id);
        REQUIRE(doc.ok());
        return std::string(lede::text::sliceCodePoints(doc->text, static_cast<std::size_t>(a.start), static_cast<std::size_t>(a.end)));
    }
};

const std::string kText = "Accord\n\nBrad Smith of Microsoft met officials in Spain. Smith said Microsoft would sign.\n";

/// A suggestion over the `nth` occurrence of `needle` in `text`.
NewAnnotation over(const std::string &text, const std::string &needle, const std::string &type, int nth = 0,
                   const std::string &entity = {})
{
    std::size_t at = std::string::npos;
    for (int i = 0; i <= nth; ++i)
        at = text.find(needle, at == std::string::npos ? 0 : at + 1);
    REQUIRE(at != std::string::npos);
    const auto start = static_cast<std::int64_t>(lede::text::codePointCount(std::string_view(text).substr(0, at)));
    return suggestion(start, start + static_cast<std::int64_t>(lede::text::codePointCount(needle)), type, entity);
}

} // namespace

TEST_CASE("selecting words with the keyboard and pressing a type key annotates them")
{
    OpenArticle article(kText);
    article.cursorBefore(QStringLiteral("Brad"));
    article.selectWords(2); // "Brad Smith " — the snap drops the space
    QTest::keyClick(article.view(), Qt::Key_1);

    auto all = article.annotations();
    REQUIRE(all.size() == 1);
    CHECK(all[0].type == "PERSON");
    CHECK(all[0].origin == Origin::Manual);
    CHECK(all[0].status == AnnotationStatus::Accepted);
    CHECK(article.covered(all[0]) == "Brad Smith");
    CHECK(all[0].entityName == "Brad Smith");
    // The view shows it at once and the cursor is on it.
    REQUIRE(article.view()->annotations().size() == 1);
    REQUIRE(article.view()->currentAnnotation().has_value());
    CHECK(article.view()->currentAnnotation()->id == all[0].id);
}

TEST_CASE("undo removes a new annotation from the store and redo brings it back")
{
    OpenArticle article(kText);
    QUndoStack *stack = article.workspace.undoStack();
    article.cursorBefore(QStringLiteral("Microsoft"));
    article.selectWords(1);
    QTest::keyClick(article.view(), Qt::Key_2);
    auto added = article.annotations();
    REQUIRE(added.size() == 1);
    CHECK(added[0].type == "COMPANY");
    REQUIRE(stack->count() == 1);

    stack->undo();
    CHECK(article.annotations().empty());
    CHECK(article.view()->annotations().empty());

    stack->redo();
    auto back = article.annotations();
    REQUIRE(back.size() == 1);
    CHECK(back[0].id == added[0].id); // restored as it was, same id
    CHECK(back[0].start == added[0].start);
    CHECK(back[0].createdAt == added[0].createdAt);
    CHECK(article.view()->annotations().size() == 1);
}

TEST_CASE("undo also takes back what an annotation taught the tagger")
{
    OpenArticle article(kText);
    auto learned = [&] {
        auto names = article.store().learnedNames();
        REQUIRE(names.ok());
        return names->size();
    };
    const auto before = learned();
    article.cursorBefore(QStringLiteral("Spain"));
    article.selectWords(1);
    QTest::keyClick(article.view(), Qt::Key_3);
    CHECK(learned() == before + 1);
    article.workspace.undoStack()->undo();
    CHECK(learned() == before);
    article.workspace.undoStack()->redo();
    CHECK(learned() == before + 1);
}

TEST_CASE("a type key on an annotation retypes it, and Backspace rejects a suggestion")
{
    OpenArticle article(kText, {over(kText, "Microsoft", "COMPANY"), over(kText, "Spain", "PERSON")});
    REQUIRE(article.view()->annotations().size() == 2);

    article.cursorBefore(QStringLiteral("Spain"));
    QTest::keyClick(article.view(), Qt::Key_Right); // inside "Spain"
    REQUIRE(article.view()->currentAnnotation().has_value());
    QTest::keyClick(article.view(), Qt::Key_3);
    auto all = article.annotations();
    REQUIRE(all.size() == 2);
    CHECK(all[1].type == "NATION");
    CHECK(all[1].status == AnnotationStatus::Accepted);
    CHECK(all[1].entityName == "Spain");

    article.workspace.undoStack()->undo();
    all = article.annotations();
    CHECK(all[1].type == "PERSON");
    CHECK(all[1].status == AnnotationStatus::Suggested);

    article.cursorBefore(QStringLiteral("Microsoft"));
    QTest::keyClick(article.view(), Qt::Key_Right);
    article.pane.editor()->setAdvanceAfterReview(false);
    QTest::keyClick(article.view(), Qt::Key_Backspace);
    all = article.annotations();
    CHECK(all[0].status == AnnotationStatus::Rejected);
    // Rejected annotations disappear from the view until asked for.
    CHECK_FALSE(article.view()->currentAnnotation().has_value());
    article.view()->setShowRejected(true);
    CHECK(article.view()->currentAnnotation().has_value());
}

TEST_CASE("Tab walks the annotations and Return accepts, moving to the next suggestion")
{
    const auto brad = over(kText, "Brad Smith", "PERSON");
    const auto microsoft = over(kText, "Microsoft", "COMPANY");
    const auto smith = over(kText, "Smith", "PERSON", 1, "Brad Smith");
    OpenArticle article(kText, {brad, microsoft, smith});
    article.cursorBefore(QStringLiteral("Accord"));
    QTest::keyClick(article.view(), Qt::Key_Tab);
    REQUIRE(article.view()->currentAnnotation().has_value());
    CHECK(article.view()->currentAnnotation()->start == brad.start);
    QTest::keyClick(article.view(), Qt::Key_Return);
    CHECK(article.annotations()[0].status == AnnotationStatus::Accepted);
    // The next suggestion is selected, so Return again accepts it.
    REQUIRE(article.view()->currentAnnotation().has_value());
    CHECK(article.view()->currentAnnotation()->start == microsoft.start);
    QTest::keyClick(article.view(), Qt::Key_Return);
    CHECK(article.annotations()[1].status == AnnotationStatus::Accepted);
    CHECK(article.view()->currentAnnotation()->start == smith.start);
    QTest::keyClick(article.view(), Qt::Key_Backtab);
    CHECK(article.view()->currentAnnotation()->start == microsoft.start);
}

TEST_CASE("Delete removes an annotation and undo restores it whole")
{
    OpenArticle article(kText, {over(kText, "Smith", "PERSON", 1, "Brad Smith")});
    const Annotation original = article.annotations().at(0);
    article.cursorBefore(QStringLiteral("Smith"), 1);
    QTest::keyClick(article.view(), Qt::Key_Right);
    QTest::keyClick(article.view(), Qt::Key_Delete);
    CHECK(article.annotations().empty());
    article.workspace.undoStack()->undo();
    auto back = article.annotations();
    REQUIRE(back.size() == 1);
    CHECK(back[0].id == original.id);
    CHECK(back[0].entityName == "Brad Smith");
    CHECK(back[0].status == AnnotationStatus::Suggested);
    CHECK(back[0].origin == Origin::Auto);
}

TEST_CASE("annotating a selection over a suggestion replaces the suggestion")
{
    OpenArticle article(kText, {over(kText, "Smith", "PERSON")}); // "Smith" of "Brad Smith"
    article.cursorBefore(QStringLiteral("Brad"));
    article.selectWords(2);
    QTest::keyClick(article.view(), Qt::Key_1);
    auto all = article.annotations();
    REQUIRE(all.size() == 1);
    CHECK(article.covered(all[0]) == "Brad Smith");
    article.workspace.undoStack()->undo();
    all = article.annotations();
    REQUIRE(all.size() == 1);
    CHECK(article.covered(all[0]) == "Smith");
}

TEST_CASE("accepting all suggestions of a document is one undoable step")
{
    OpenArticle article(kText, {over(kText, "Brad Smith", "PERSON"), over(kText, "Microsoft", "COMPANY"), over(kText, "Spain", "NATION")});
    REQUIRE(article.pane.editor()->reviewDocument(AnnotationStatus::Accepted));
    for (const Annotation &a : article.annotations())
        CHECK(a.status == AnnotationStatus::Accepted);
    CHECK(article.workspace.undoStack()->count() == 1);
    article.workspace.undoStack()->undo();
    for (const Annotation &a : article.annotations())
        CHECK(a.status == AnnotationStatus::Suggested);
}

TEST_CASE("rejecting all suggestions of an entity reaches every document")
{
    OpenArticle article(kText, {over(kText, "Microsoft", "COMPANY"), over(kText, "Microsoft", "COMPANY", 1)});
    const std::int64_t other = article.addDocument("Other", "Microsoft again.\n", {suggestion(0, 9, "COMPANY")});
    const std::int64_t entity = article.annotations().at(0).entityId;
    REQUIRE(article.pane.editor()->reviewEntity(entity, AnnotationStatus::Rejected));
    for (const Annotation &a : article.annotations())
        CHECK(a.status == AnnotationStatus::Rejected);
    auto elsewhere = article.store().annotations(other);
    REQUIRE(elsewhere.ok());
    CHECK(elsewhere->at(0).status == AnnotationStatus::Rejected);
    article.workspace.undoStack()->undo();
    elsewhere = article.store().annotations(other);
    CHECK(elsewhere->at(0).status == AnnotationStatus::Suggested);
}

TEST_CASE("annotate all occurrences in this document and in every document")
{
    OpenArticle article(kText);
    const std::int64_t other = article.addDocument("Other", "Microsoft and Microsoftish are not the same; Microsoft is.\n");
    article.cursorBefore(QStringLiteral("Microsoft"));
    article.selectWords(1);
    REQUIRE(article.pane.editor()->annotateAllOccurrences(QStringLiteral("COMPANY"), false));
    CHECK(article.annotations().size() == 2);
    auto elsewhere = article.store().annotations(other);
    CHECK(elsewhere->empty());

    article.cursorBefore(QStringLiteral("Microsoft"));
    article.selectWords(1);
    QSignalSpy done(article.pane.editor(), &ui::AnnotationEditor::occurrencesAnnotated);
    REQUIRE(article.pane.editor()->annotateAllOccurrences(QStringLiteral("COMPANY"), true));
    REQUIRE(done.wait(5000));
    CHECK(done.at(0).at(0).toInt() == 2); // whole words only: not "Microsoftish"
    elsewhere = article.store().annotations(other);
    REQUIRE(elsewhere->size() == 2);
    CHECK(elsewhere->at(0).start == 0);
    article.workspace.undoStack()->undo();
    CHECK(article.store().annotations(other)->empty());
    CHECK(article.annotations().size() == 2);
}

TEST_CASE("linking an annotation to another entity and renaming an entity are undoable")
{
    OpenArticle article(kText, {over(kText, "Smith", "PERSON", 1)}); // "Smith", its own entity
    article.cursorBefore(QStringLiteral("Smith"), 1);
    QTest::keyClick(article.view(), Qt::Key_Right);
    REQUIRE(article.pane.editor()->linkSelected(QStringLiteral("Brad Smith")));
    CHECK(article.annotations().at(0).entityName == "Brad Smith");

    ui::MessageBox::setNextText(QStringLiteral("Bradford L. Smith"));
    REQUIRE(article.pane.editor()->renameCurrentEntity());
    CHECK(article.annotations().at(0).entityName == "Bradford L. Smith");
    article.workspace.undoStack()->undo();
    CHECK(article.annotations().at(0).entityName == "Brad Smith");
    article.workspace.undoStack()->undo();
    CHECK(article.annotations().at(0).entityName == "Smith");
}

TEST_CASE("offsets stay right with emoji and non-BMP letters before, inside and after annotations")
{
    // 😀 and 👩 are emoji; 𝐁𝐞𝐭𝐚 is four mathematical bold letters, each two
    // UTF-16 units but one code point.
    const std::string text = "Title 😀\n\n😀 Ana met 𝐁𝐞𝐭𝐚 and Brad Smith 👩 in Spain 😀.\n";
    OpenArticle article(text);

    article.cursorBefore(toQString("𝐁𝐞𝐭𝐚"));
    article.selectWords(1);
    QTest::keyClick(article.view(), Qt::Key_1);
    article.cursorBefore(QStringLiteral("Brad"));
    article.selectWords(2);
    QTest::keyClick(article.view(), Qt::Key_1);
    article.cursorBefore(QStringLiteral("Spain"));
    article.selectWords(1);
    QTest::keyClick(article.view(), Qt::Key_3);

    auto all = article.annotations();
    REQUIRE(all.size() == 3);
    CHECK(article.covered(all[0]) == "𝐁𝐞𝐭𝐚");
    CHECK(all[0].end - all[0].start == 4); // code points, not UTF-16 units
    CHECK(article.covered(all[1]) == "Brad Smith");
    CHECK(article.covered(all[2]) == "Spain");
    // The store's offsets, counted by hand: "Title 😀\n\n😀 Ana met " is 19
    // code points.
    CHECK(all[0].start == 19);

    // And back: the view highlights exactly those characters.
    const auto &offsets = article.view()->article()->offsets;
    const QString shown = article.view()->article()->text;
    for (const Annotation &a : all) {
        const qsizetype s = offsets.utf16Offset(a.start);
        CHECK(shown.mid(s, offsets.utf16Offset(a.end) - s) == toQString(article.covered(a)));
    }
    // An annotation that contains an emoji.
    const std::int64_t withEmoji = article.addDocument("Emoji", "Team 👩‍💻 Rocket and friends.\n", {suggestion(5, 15, "ORGANIZATION")});
    QSignalSpy shownSpy(&article.pane, &ui::ArticlePane::documentShown);
    article.pane.showDocument(withEmoji);
    REQUIRE(shownSpy.wait(5000));
    const auto &viewed = article.view()->annotations().at(0);
    const auto &index = article.view()->article()->offsets;
    const qsizetype s = index.utf16Offset(viewed.start);
    CHECK(article.view()->article()->text.mid(s, index.utf16Offset(viewed.end) - s) == toQString("👩‍💻 Rocket"));
}

TEST_CASE("the article view lays out a large article's highlights only where they changed")
{
    std::string text = "Big\n\n";
    std::vector<NewAnnotation> annotations;
    for (int i = 0; i < 400; ++i) {
        const auto start = static_cast<std::int64_t>(lede::text::codePointCount(text));
        text += "Microsoft met Spain.\n\n";
        annotations.push_back(suggestion(start, start + 9, "COMPANY"));
    }
    OpenArticle article(text, annotations);
    CHECK(article.view()->annotations().size() == 400);
    REQUIRE(article.pane.editor()->reviewDocument(AnnotationStatus::Accepted));
    CHECK(article.view()->annotations().front().status == AnnotationStatus::Accepted);
    CHECK(article.view()->annotations().back().status == AnnotationStatus::Accepted);
}

TEST_CASE("a manual annotation joins the entity the same words already have in the article")
{
    OpenArticle article(kText, {over(kText, "Smith", "PERSON", 1, "Brad Smith")});
    article.cursorBefore(QStringLiteral("Smith"));
    article.selectWords(1);
    QTest::keyClick(article.view(), Qt::Key_1);
    auto all = article.annotations();
    REQUIRE(all.size() == 2);
    CHECK(article.covered(all[0]) == "Smith");
    CHECK(all[0].entityName == "Brad Smith");
    CHECK(all[0].entityId == all[1].entityId);
}

TEST_CASE("Ctrl+F8 selects the least confident suggestion, and weak suggestions can be hidden")
{
    auto brad = over(kText, "Brad Smith", "PERSON");
    brad.provenance = "rule:given-name";
    brad.confidence = 0.87;
    auto microsoft = over(kText, "Microsoft", "COMPANY");
    microsoft.provenance = "rule:company-head";
    microsoft.confidence = 0.41;
    OpenArticle article(kText, {brad, microsoft});
    article.cursorBefore(QStringLiteral("Accord"));
    QTest::keyClick(article.view(), Qt::Key_F8, Qt::ControlModifier);
    REQUIRE(article.view()->currentAnnotation().has_value());
    CHECK(article.view()->currentAnnotation()->start == microsoft.start);
    CHECK(article.view()->currentAnnotation()->provenance == "rule:company-head");

    // Below 0.5 hides Microsoft; the next least confident is Brad Smith.
    article.view()->setMinConfidence(0.5);
    CHECK_FALSE(article.view()->currentAnnotation().has_value());
    QTest::keyClick(article.view(), Qt::Key_F8, Qt::ControlModifier);
    REQUIRE(article.view()->currentAnnotation().has_value());
    CHECK(article.view()->currentAnnotation()->start == brad.start);
    article.view()->setMinConfidence(0.0);
}
