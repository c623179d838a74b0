#include "ui/article/ArticlePane.h"

#include "core/store/Store.h"
#include "ui/article/AnnotationEditor.h"
#include "ui/article/ArticleView.h"
#include "ui/article/LoadedDocument.h"
#include "ui/base/QtText.h"
#include "ui/article/TypeLegend.h"
#include "ui/app/Workspace.h"

#include <QDateTime>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace lede::ui {

ArticlePane::ArticlePane(Workspace *workspace, QWidget *parent)
    : QWidget(parent)
    , m_workspace(workspace)
    , m_header(new QWidget(this))
    , m_title(new QLabel(m_header))
    , m_meta(new QLabel(m_header))
    , m_review(new QLabel(m_header))
    , m_acceptAll(new QToolButton(m_header))
    , m_rejectAll(new QToolButton(m_header))
    , m_legend(new TypeLegend(this))
    , m_view(new ArticleView(this))
    , m_editor(new AnnotationEditor(workspace, m_view, this))
{
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);

    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.45);
    titleFont.setWeight(QFont::DemiBold);
    m_title->setFont(titleFont);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_meta->setForegroundRole(QPalette::PlaceholderText);
    m_meta->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_review->setForegroundRole(QPalette::PlaceholderText);
    m_acceptAll->setText(tr("Accept all"));
    m_acceptAll->setToolTip(tr("Accept every suggestion in this document"));
    m_rejectAll->setText(tr("Reject all"));
    m_rejectAll->setToolTip(tr("Reject every suggestion in this document"));
    m_acceptAll->setAutoRaise(true);
    m_rejectAll->setAutoRaise(true);

    auto *metaRow = new QHBoxLayout;
    metaRow->setContentsMargins(0, 0, 0, 0);
    metaRow->addWidget(m_meta, 1);
    metaRow->addSpacing(12);
    metaRow->addWidget(m_review);
    metaRow->addWidget(m_acceptAll);
    metaRow->addWidget(m_rejectAll);

    auto *headerLayout = new QVBoxLayout(m_header);
    headerLayout->setContentsMargins(0, 0, 0, 0);
    headerLayout->setSpacing(4);
    headerLayout->addWidget(m_title);
    headerLayout->addLayout(metaRow);
    headerLayout->addSpacing(4);
    headerLayout->addWidget(m_legend);

    auto *headerRow = new QHBoxLayout;
    headerRow->setContentsMargins(20, 0, 16, 0);
    headerRow->addWidget(m_header);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 18, 0, 0);
    layout->setSpacing(8);
    layout->addLayout(headerRow);
    auto *rule = new QFrame(this);
    rule->setFrameShape(QFrame::HLine);
    rule->setFrameShadow(QFrame::Plain);
    rule->setForegroundRole(QPalette::Midlight);
    layout->addWidget(rule);
    layout->addWidget(m_view, 1);
    m_header->setVisible(false);

    connect(m_acceptAll, &QToolButton::clicked, this, [this] { m_editor->reviewDocument(AnnotationStatus::Accepted); });
    connect(m_rejectAll, &QToolButton::clicked, this, [this] { m_editor->reviewDocument(AnnotationStatus::Rejected); });
    connect(m_legend, &TypeLegend::hiddenTypesChanged, m_view, &ArticleView::setHiddenTypes);

    connect(workspace, &Workspace::storeOpened, this, [this] { showDocument(0); });
    connect(workspace, &Workspace::typesChanged, this, [this] {
        m_view->setTypes(m_workspace->types());
        m_legend->setTypes(m_workspace->types());
    });
    connect(workspace, &Workspace::annotationsChanged, this, [this](const QList<qint64> &ids) {
        if (documentId() != 0 && (ids.isEmpty() || ids.contains(documentId())))
            reloadAnnotations();
    });
    connect(workspace, &Workspace::changeApplied, this, [this](qint64 document, qint64 start, qint64 end) {
        // Undo and redo show where they acted, unless it is in view already.
        if (document != documentId() || !m_view->article())
            return;
        const auto &offsets = m_view->article()->offsets;
        QTextCursor probe(m_view->document());
        probe.setPosition(static_cast<int>(offsets.utf16Offset(start)));
        if (!m_view->viewport()->rect().contains(m_view->cursorRect(probe)))
            m_view->selectRange({start, end});
    });
    m_view->setTypes(workspace->types());
    m_legend->setTypes(workspace->types());
}

std::int64_t ArticlePane::documentId() const { return m_view->documentId(); }

void ArticlePane::showDocument(std::int64_t id)
{
    m_requested = id;
    const int generation = ++m_generation;
    if (id == 0 || !m_workspace->isOpen()) {
        m_view->clearArticle();
        updateHeader();
        Q_EMIT documentShown(0);
        return;
    }
    m_workspace->read<std::shared_ptr<const LoadedDocument>>(
        this, [id](Store &store) { return LoadedDocument::load(store, id); },
        [this, generation](Result<std::shared_ptr<const LoadedDocument>> loaded) {
            // Only the last request counts: a quick run down the list
            // shows the document the analyst stopped at.
            if (generation != m_generation)
                return;
            if (!loaded) {
                Q_EMIT loadFailed(toQString(loaded.message()));
                return;
            }
            display(std::move(*loaded));
        });
}

void ArticlePane::display(std::shared_ptr<const LoadedDocument> document)
{
    const std::int64_t id = document->info.id;
    m_view->setArticle(std::move(document));
    updateHeader();
    Q_EMIT documentShown(id);
}

void ArticlePane::reloadAnnotations()
{
    const std::int64_t id = documentId();
    if (id == 0 || !m_workspace->isOpen())
        return;
    // The UI thread's own connection: it just wrote, and one document's
    // annotations are one indexed range.
    auto annotations = m_workspace->store().annotations(id);
    if (!annotations) {
        Q_EMIT loadFailed(toQString(annotations.message()));
        return;
    }
    m_view->setAnnotations(std::move(*annotations));
    updateHeader();
}

void ArticlePane::updateHeader()
{
    const LoadedDocument *doc = m_view->article();
    m_header->setVisible(doc != nullptr);
    if (!doc)
        return;
    m_title->setText(doc->info.title.empty() ? tr("(untitled)") : toQString(doc->info.title));
    // Plain-text articles open with their title, which the view sets as a
    // heading; the header repeats it only for those that do not.
    m_title->setVisible(!m_view->startsWithTitle());
    const QLocale locale;
    QStringList facts;
    const QString source = toQString(doc->info.source);
    if (!source.isEmpty())
        facts << QFileInfo(source).fileName();
    if (!doc->info.publishedAt.empty())
        facts << tr("published %1").arg(toQString(doc->info.publishedAt));
    const QDateTime imported = QDateTime::fromString(toQString(doc->info.importedAt), Qt::ISODate);
    if (imported.isValid())
        facts << tr("imported %1").arg(locale.toString(imported.toLocalTime().date(), QLocale::ShortFormat));
    facts << tr("%1 characters").arg(locale.toString(static_cast<qlonglong>(doc->info.length)));
    const auto &annotations = m_view->annotations();
    m_meta->setText(facts.join(QStringLiteral("  ·  ")));
    m_meta->setToolTip(source);

    const auto suggestions = std::count_if(annotations.begin(), annotations.end(),
                                           [](const Annotation &a) { return a.status == AnnotationStatus::Suggested; });
    const auto shown = std::count_if(annotations.begin(), annotations.end(),
                                     [](const Annotation &a) { return a.status != AnnotationStatus::Rejected; });
    if (shown == 0)
        m_review->setText(tr("no annotations yet"));
    else if (suggestions > 0)
        m_review->setText(tr("%1 of %n annotation(s) to review", nullptr, static_cast<int>(shown)).arg(suggestions));
    else
        m_review->setText(tr("%n annotation(s), all reviewed", nullptr, static_cast<int>(shown)));
    m_acceptAll->setVisible(suggestions > 0);
    m_rejectAll->setVisible(suggestions > 0);
}

} // namespace lede::ui
