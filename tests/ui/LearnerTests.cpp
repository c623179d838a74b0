#include "UiTestUtil.h"

#include "core/nlp/Learning.h"
#include "ui/article/AnnotationCommand.h"
#include "ui/app/Learner.h"

#include <QSignalSpy>

using namespace lede;
using namespace lede::test;

namespace {

// Accepts annotation `id` through the workspace, as the editor does.
void accept(ui::Workspace &workspace, std::int64_t id)
{
    auto before = workspace.store().annotation(id);
    REQUIRE(before.ok());
    Annotation after = *before;
    after.status = AnnotationStatus::Accepted;
    REQUIRE(workspace.apply(QStringLiteral("Accept"), {{*before, after}}));
}

} // namespace

TEST_CASE("the desktop learns from reviews in the background, and re-tags only documents nobody reviewed")
{
    StoreFixture f;
    const int saved = ui::Learner::reviewsPerUpdate();
    ui::Learner::setReviewsPerUpdate(2);
    const std::string text = "Velmora said on Tuesday it would cut 200 jobs. Dana Reyes of Velmora spoke.";
    const auto reviewed = f.addDocument("reviewed", text,
                                        {suggestion(0, 7, "COMPANY"), suggestion(47, 57, "PERSON"), suggestion(61, 68, "COMPANY")});
    const auto untouched = f.addDocument("untouched", "Analysts expect Velmora to grow.", {suggestion(0, 8, "PERSON")});
    ui::Learner learner(&f.workspace);
    QSignalSpy finished(&learner, &ui::Learner::finished);

    auto anns = f.store().annotations(reviewed);
    REQUIRE(anns->size() == 3);
    accept(f.workspace, (*anns)[0].id); // one review: not yet
    QTest::qWait(2000);
    CHECK(finished.isEmpty());
    accept(f.workspace, (*anns)[1].id); // the second starts it
    REQUIRE(finished.wait(20000));
    INFO(finished.front().front().toString().toStdString());
    CHECK(finished.front().front().toString().contains(QStringLiteral("re-tagged 1 unreviewed document.")));

    auto update = f.store().modelUpdate();
    REQUIRE(update.ok());
    REQUIRE(update->has_value());
    CHECK((*update)->reviews == 2);
    // The reviewed document keeps its suggestion; the other one was
    // re-tagged: "Analysts" is no person, and Velmora, a name the analyst
    // accepted, is suggested.
    CHECK(f.store().annotations(reviewed)->size() == 3);
    auto after = f.store().annotations(untouched);
    REQUIRE(after->size() == 1);
    CHECK((*after)[0].start == 16);
    CHECK((*after)[0].type == "COMPANY");

    // On request, whatever the count.
    finished.clear();
    learner.learnNow();
    REQUIRE(finished.wait(20000));
    ui::Learner::setReviewsPerUpdate(saved);
}
