// How fast the desktop application shows things: opening a large article
// with thousands of annotations (to first paint), scrolling it, restyling
// it after a bulk review, and listing a store of many documents.
//
// usage: lede_bench_view [--mb N] [--annotations N] [--docs N]
// Runs on Qt's offscreen platform unless QT_QPA_PLATFORM says otherwise.

#include "bench/ArticleGenerator.h"
#include "TestUtil.h"

#include "core/store/Database.h"
#include "core/store/Store.h"
#include "core/store/DeskOperations.h"
#include "core/text/Text.h"
#include "ui/article/ArticleView.h"
#include "ui/documents/DocumentListModel.h"
#include "ui/article/LoadedDocument.h"
#include "ui/base/QtText.h"
#include "ui/app/Workspace.h"

#include <CLI/CLI.hpp>

#include <QApplication>
#include <QScrollBar>
#include <QUndoStack>
#include <QTest>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace lede;

namespace {

double ms(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

// Spreads `count` annotations over word starts of `text`, alternating
// types and statuses as a tagged and partly reviewed article has them.
std::vector<NewAnnotation> annotationsFor(const std::string &text, std::size_t count)
{
    std::vector<std::pair<std::int64_t, std::int64_t>> words;
    std::int64_t cp = 0;
    std::int64_t start = -1;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if ((c & 0xC0) == 0x80)
            continue;
        const bool letter = std::isalpha(c) || c >= 0x80;
        if (letter && start < 0)
            start = cp;
        if (!letter && start >= 0) {
            words.emplace_back(start, cp);
            start = -1;
        }
        ++cp;
    }
    static const char *types[] = {"PERSON", "COMPANY", "NATION", "ATTACK", "ORGANIZATION"};
    std::vector<NewAnnotation> out;
    const std::size_t step = std::max<std::size_t>(1, words.size() / count);
    for (std::size_t i = 0; i < words.size() && out.size() < count; i += step) {
        NewAnnotation a;
        a.start = words[i].first;
        a.end = words[i].second;
        a.type = types[out.size() % 5];
        a.origin = Origin::Auto;
        a.status = out.size() % 3 == 0 ? AnnotationStatus::Accepted : AnnotationStatus::Suggested;
        out.push_back(a);
    }
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    std::size_t megabytes = 1;
    std::size_t annotationCount = 5000;
    std::size_t documents = 100000;
    CLI::App cli("Times the desktop's article view and document list on large input.", "lede_bench_view");
    cli.add_option("--mb", megabytes, "megabytes of the long article")->capture_default_str();
    cli.add_option("--annotations", annotationCount, "annotations on it")->capture_default_str();
    cli.add_option("--docs", documents, "documents in the list")->capture_default_str();
    CLI11_PARSE(cli, argc, argv);
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IOLBF, 0); // figures appear as they come, also in a pipe

    test::TempDir dir;
    const std::string path = dir.file("view.sqlite");
    ui::Workspace workspace;
    if (auto st = workspace.open(ui::toQString(path)); !st) {
        std::fprintf(stderr, "%s\n", st.message().c_str());
        return 1;
    }
    Store &store = workspace.store();

    // One large article ------------------------------------------------------
    bench::ArticleGenerator generator(7);
    NewDocument big;
    big.title = "A large article";
    big.text = "A large article\n\n" + generator.article(megabytes * 1024 * 1024);
    big.text = text::normalize(big.text);
    const auto annotations = annotationsFor(big.text, annotationCount);
    auto added = store.addDocument(big, annotations);
    if (!added) {
        std::fprintf(stderr, "%s\n", added.message().c_str());
        return 1;
    }
    std::printf("article: %.2f MB, %zu annotations\n", static_cast<double>(big.text.size()) / (1024.0 * 1024.0),
                annotations.size());

    ui::ArticleView view;
    view.resize(1000, 900);
    view.setTypes(workspace.types());
    view.show();
    QTest::qWait(50);

    auto t = std::chrono::steady_clock::now();
    auto loaded = ui::LoadedDocument::load(store, added->id);
    if (!loaded) {
        std::fprintf(stderr, "%s\n", loaded.message().c_str());
        return 1;
    }
    const double load = ms(t);
    t = std::chrono::steady_clock::now();
    view.setArticle(*loaded);
    const double build = ms(t);
    view.viewport()->repaint();
    const double firstPaint = ms(t);
    std::printf("open: read from the store %.1f ms (on a background thread in the app), "
                "build the view %.1f ms, to first paint %.1f ms; total %.1f ms (target < 300 ms)\n",
                load, build, firstPaint, load + firstPaint);

    // Scrolling: a page at a time through the article.
    QScrollBar *bar = view.verticalScrollBar();
    double worst = 0;
    double sum = 0;
    int frames = 0;
    for (int i = 0; i < 200 && bar->value() < bar->maximum(); ++i) {
        t = std::chrono::steady_clock::now();
        bar->setValue(bar->value() + bar->pageStep());
        view.viewport()->repaint();
        const double frame = ms(t);
        worst = std::max(worst, frame);
        sum += frame;
        ++frames;
    }
    std::printf("scroll: %d pages, %.2f ms per page on average, %.2f ms at worst\n", frames, sum / std::max(frames, 1), worst);

    t = std::chrono::steady_clock::now();
    bar->setValue(bar->maximum());
    view.viewport()->repaint();
    std::printf("jump to the end: %.1f ms\n", ms(t));

    // A bulk review: every annotation changes status.
    std::vector<Annotation> reviewed = view.annotations();
    for (Annotation &a : reviewed)
        a.status = AnnotationStatus::Accepted;
    t = std::chrono::steady_clock::now();
    view.setAnnotations(reviewed);
    view.viewport()->repaint();
    std::printf("restyle after accepting all %zu: %.1f ms\n", reviewed.size(), ms(t));

    // One annotation changes: only its paragraph is laid out again.
    reviewed.front().status = AnnotationStatus::Rejected;
    t = std::chrono::steady_clock::now();
    view.setAnnotations(reviewed);
    view.viewport()->repaint();
    std::printf("restyle after one change: %.2f ms\n", ms(t));

    // The same review written to the store, undoably, as "Accept all" does.
    {
        auto stored = store.annotations(added->id);
        std::vector<ui::AnnotationChange> changes;
        for (const Annotation &a : *stored) {
            if (a.status != AnnotationStatus::Suggested)
                continue;
            Annotation after = a;
            after.status = AnnotationStatus::Accepted;
            changes.push_back({a, after});
        }
        const std::size_t n = changes.size();
        t = std::chrono::steady_clock::now();
        const bool ok = workspace.apply(QStringLiteral("Accept all"), std::move(changes));
        std::printf("accept all %zu suggestions in the store (one undoable change): %.1f ms%s\n", n, ms(t), ok ? "" : " FAILED");
        t = std::chrono::steady_clock::now();
        workspace.undoStack()->undo();
        std::printf("undo it: %.1f ms\n", ms(t));
    }

    // Many documents -------------------------------------------------------------
    if (documents > 0) {
        t = std::chrono::steady_clock::now();
        {
            auto tx = store.transaction();
            bench::ArticleGenerator short_(11);
            for (std::size_t i = 0; i < documents; ++i) {
                NewDocument d;
                d.title = "Report " + std::to_string(i);
                d.source = "bench/" + std::to_string(i) + ".txt";
                d.text = d.title + "\n\n" + short_.article(400);
                if (auto a = store.addDocument(d, annotationsFor(d.text, 4)); !a) {
                    std::fprintf(stderr, "%s\n", a.message().c_str());
                    return 1;
                }
            }
            if (auto st = tx->commit(); !st) {
                std::fprintf(stderr, "%s\n", st.message().c_str());
                return 1;
            }
        }
        std::printf("\nstore: %zu more documents written in %.1f s\n", documents, ms(t) / 1000);

        DocumentFilter filter;
        t = std::chrono::steady_clock::now();
        auto ids = listDocumentIds(store, filter);
        std::printf("list ids in import order: %.1f ms (%zu ids)\n", ms(t), ids ? ids->size() : 0);
        filter.sort = DocumentSort::Title;
        t = std::chrono::steady_clock::now();
        ids = listDocumentIds(store, filter);
        std::printf("list ids sorted by title: %.1f ms\n", ms(t));
        filter.sort = DocumentSort::TypeCount;
        filter.sortType = "COMPANY";
        filter.descending = true;
        t = std::chrono::steady_clock::now();
        ids = listDocumentIds(store, filter);
        std::printf("list ids sorted by COMPANY mentions: %.1f ms\n", ms(t));
        filter = {};
        filter.text = "report 4242";
        t = std::chrono::steady_clock::now();
        ids = listDocumentIds(store, filter);
        std::printf("filter by title: %.1f ms (%zu found)\n", ms(t), ids ? ids->size() : 0);

        // The model as the window uses it: ids in the background, then the
        // rows a view shows, a page at a time.
        t = std::chrono::steady_clock::now();
        ui::DocumentListModel model(&workspace);
        if (!QTest::qWaitFor([&] { return static_cast<std::size_t>(model.rowCount()) > documents; }, 60000)) {
            std::fprintf(stderr, "the document list did not load within a minute\n");
            return 1;
        }
        const double listed = ms(t);
        t = std::chrono::steady_clock::now();
        for (int row = 0; row < 40; ++row)
            for (int column = 0; column < model.columnCount(); ++column)
                model.data(model.index(row, column));
        const double firstScreen = ms(t);
        t = std::chrono::steady_clock::now();
        const int middle = model.rowCount() / 2;
        for (int row = middle; row < middle + 40; ++row)
            for (int column = 0; column < model.columnCount(); ++column)
                model.data(model.index(row, column));
        std::printf("document list: %d rows listed in %.1f ms; first screen %.1f ms; a screen in the middle %.1f ms\n",
                    model.rowCount(), listed, firstScreen, ms(t));
    }
    return 0;
}
