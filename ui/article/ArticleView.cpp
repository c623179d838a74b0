#include "ui/article/ArticleView.h"

#include "ui/base/QtText.h"
#include "ui/article/WordSnap.h"

#include <QAbstractTextDocumentLayout>
#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMenu>
#include <QPlainTextDocumentLayout>
#include <QScrollBar>
#include <QTextBlock>
#include <QTextDocument>
#include <QToolTip>

#include <algorithm>
#include <tuple>

namespace lede::ui {

namespace {

constexpr int kDocumentMargin = 28;
constexpr int kColumnCharacters = 76;

QColor mix(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - t) + b.redF() * t),
                            static_cast<float>(a.greenF() * (1 - t) + b.greenF() * t),
                            static_cast<float>(a.blueF() * (1 - t) + b.blueF() * t));
}

bool isDark(const QColor &base) { return base.lightnessF() < 0.5; }

auto annotationKey(const Annotation &a)
{
    return std::tie(a.start, a.end, a.id, a.type, a.status, a.origin, a.entityId, a.entityName);
}

bool byPosition(const Annotation &a, const Annotation &b)
{
    return std::tie(a.start, a.end, a.id) < std::tie(b.start, b.end, b.id);
}

QString originText(const Annotation &a)
{
    switch (a.origin) {
    case Origin::Auto:
        return a.status == AnnotationStatus::Suggested ? ArticleView::tr("suggested by the tagger")
                                                       : ArticleView::tr("tagger suggestion, reviewed");
    case Origin::Manual:
        return ArticleView::tr("annotated by hand");
    case Origin::Imported:
        return ArticleView::tr("imported");
    }
    return {};
}

QString statusText(AnnotationStatus status)
{
    switch (status) {
    case AnnotationStatus::Suggested:
        return ArticleView::tr("awaiting review");
    case AnnotationStatus::Accepted:
        return ArticleView::tr("accepted");
    case AnnotationStatus::Rejected:
        return ArticleView::tr("rejected");
    }
    return {};
}

} // namespace

ArticleView::ArticleView(QWidget *parent)
    : QPlainTextEdit(parent)
{
    setReadOnly(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    setFrameShape(QFrame::NoFrame);
    setLineWrapMode(QPlainTextEdit::WidgetWidth);
    setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    // The margins around the text column belong to the scroll area, not
    // the viewport; painting them in the base colour makes one page.
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    setPlaceholderText(tr("Choose an article from the list, or import some with File → Import."));

    QFont reading(QStringLiteral("DejaVu Serif"));
    reading.setStyleHint(QFont::Serif);
    reading.setPointSizeF(std::max(11.0, font().pointSizeF() * 1.2));
    setFont(reading);
    document()->setDocumentMargin(kDocumentMargin);

    connect(this, &QPlainTextEdit::cursorPositionChanged, this, &ArticleView::updateCurrentAnnotation);
    connect(this, &QPlainTextEdit::selectionChanged, this, &ArticleView::updateCurrentAnnotation);
}

ArticleView::~ArticleView() = default;

void ArticleView::setArticle(std::shared_ptr<const LoadedDocument> document)
{
    if (!document) {
        clearArticle();
        return;
    }
    m_document = std::move(document);
    m_annotations = m_document->annotations;
    std::sort(m_annotations.begin(), m_annotations.end(), byPosition);
    rebuildSpans();

    // A new text document rather than setPlainText() on the old one: the
    // highlights go onto its blocks before any layout sees it, so nothing
    // is laid out twice, and the old one goes away whole.
    auto *text = new QTextDocument(this);
    text->setDocumentLayout(new QPlainTextDocumentLayout(text));
    text->setUndoRedoEnabled(false);
    text->setDefaultFont(font());
    text->setDocumentMargin(kDocumentMargin);
    text->setPlainText(m_document->text);
    m_formattedBlocks.clear();
    m_currentId = 0;
    m_searchMatches.clear();
    const QString title = toQString(m_document->info.title).trimmed();
    m_titleBlock = !title.isEmpty() && text->firstBlock().text().trimmed() == title;
    std::set<int> blocks = blocksOf(text, m_spans);
    if (m_titleBlock)
        blocks.insert(0);
    restyleBlocks(text, blocks, false);
    setDocument(text); // deletes the previous document, which was our child
    moveCursor(QTextCursor::Start);
    verticalScrollBar()->setValue(0);
    updateMargins();
    updateCurrentAnnotation();
    Q_EMIT articleShown(m_document->info.id);
}

void ArticleView::clearArticle()
{
    m_document.reset();
    m_annotations.clear();
    m_spans.clear();
    m_formattedBlocks.clear();
    m_longestSpan = 0;
    m_titleBlock = false;
    auto *text = new QTextDocument(this);
    text->setDocumentLayout(new QPlainTextDocumentLayout(text));
    text->setDefaultFont(font());
    text->setDocumentMargin(kDocumentMargin);
    setDocument(text);
    updateCurrentAnnotation();
}

void ArticleView::setAnnotations(std::vector<Annotation> annotations)
{
    if (!m_document)
        return;
    std::sort(annotations.begin(), annotations.end(), byPosition);
    // Only annotations that appeared, went or changed need their
    // paragraphs styled and laid out again.
    auto byKey = [](const Annotation &a, const Annotation &b) { return annotationKey(a) < annotationKey(b); };
    std::vector<Annotation> before = m_annotations;
    std::vector<Annotation> after = annotations;
    std::sort(before.begin(), before.end(), byKey);
    std::sort(after.begin(), after.end(), byKey);
    std::vector<Annotation> changed;
    std::set_symmetric_difference(before.begin(), before.end(), after.begin(), after.end(), std::back_inserter(changed),
                                  byKey);
    std::vector<Span> spans;
    spans.reserve(changed.size());
    for (const Annotation &a : changed)
        spans.push_back({m_document->offsets.utf16Offset(a.start), m_document->offsets.utf16Offset(a.end)});

    m_annotations = std::move(annotations);
    rebuildSpans();
    restyleBlocks(document(), blocksOf(document(), spans), true);
    updateCurrentAnnotation();
    viewport()->update();
}

void ArticleView::setTypes(const std::vector<EntityType> &types)
{
    m_styles.clear();
    for (const EntityType &t : types)
        m_styles[t.name] = {QColor(toQString(t.color)), toQString(t.shortcut)};
    restyleAll();
}

void ArticleView::setHiddenTypes(const QSet<QString> &types)
{
    if (types == m_hiddenTypes)
        return;
    m_hiddenTypes = types;
    restyleAll();
    updateCurrentAnnotation();
}

void ArticleView::setShowRejected(bool show)
{
    if (show == m_showRejected)
        return;
    m_showRejected = show;
    restyleAll();
    updateCurrentAnnotation();
}

void ArticleView::setMinConfidence(double confidence)
{
    confidence = std::clamp(confidence, 0.0, 1.0);
    if (confidence == m_minConfidence)
        return;
    m_minConfidence = confidence;
    restyleAll();
    updateCurrentAnnotation();
}

bool ArticleView::selectLeastConfident()
{
    std::optional<std::size_t> least;
    for (std::size_t i = 0; i < m_annotations.size() && i < m_spans.size(); ++i) {
        const Annotation &a = m_annotations[i];
        if (a.status != AnnotationStatus::Suggested || !isShown(a))
            continue;
        if (!least || a.confidence.value_or(1.0) < m_annotations[*least].confidence.value_or(1.0))
            least = i;
    }
    if (!least)
        return false;
    selectRange({m_annotations[*least].start, m_annotations[*least].end});
    return true;
}

bool ArticleView::isShown(const Annotation &a) const
{
    if (a.status == AnnotationStatus::Rejected && !m_showRejected)
        return false;
    if (a.status == AnnotationStatus::Suggested && a.confidence && *a.confidence < m_minConfidence)
        return false;
    return !m_hiddenTypes.contains(toQString(a.type));
}

QColor ArticleView::highlightColor(const QColor &typeColor, const QColor &base, AnnotationStatus status)
{
    const bool dark = isDark(base);
    switch (status) {
    case AnnotationStatus::Suggested:
        return mix(base, typeColor, dark ? 0.26 : 0.17);
    case AnnotationStatus::Accepted:
        return mix(base, typeColor, dark ? 0.46 : 0.30);
    case AnnotationStatus::Rejected:
        return base;
    }
    return base;
}

QTextCharFormat ArticleView::formatFor(const Annotation &a) const
{
    QTextCharFormat format;
    const auto style = m_styles.find(a.type);
    const QColor color = style != m_styles.end() ? style->second.color : palette().color(QPalette::Mid);
    const QColor base = palette().color(QPalette::Base);
    switch (a.status) {
    case AnnotationStatus::Suggested:
        format.setBackground(highlightColor(color, base, a.status));
        format.setUnderlineStyle(QTextCharFormat::DashUnderline);
        format.setUnderlineColor(isDark(base) ? color.lighter(130) : color);
        break;
    case AnnotationStatus::Accepted:
        format.setBackground(highlightColor(color, base, a.status));
        break;
    case AnnotationStatus::Rejected:
        format.setFontStrikeOut(true);
        format.setForeground(palette().color(QPalette::PlaceholderText));
        break;
    }
    return format;
}

void ArticleView::rebuildSpans()
{
    m_spans.clear();
    m_spans.reserve(m_annotations.size());
    m_longestSpan = 0;
    if (!m_document)
        return;
    for (const Annotation &a : m_annotations) {
        Span s{m_document->offsets.utf16Offset(a.start), m_document->offsets.utf16Offset(a.end)};
        m_longestSpan = std::max(m_longestSpan, s.end - s.start);
        m_spans.push_back(s);
    }
}

QList<QTextLayout::FormatRange> ArticleView::formatsFor(const QTextBlock &block) const
{
    QList<QTextLayout::FormatRange> ranges;
    if (m_titleBlock && block.blockNumber() == 0) {
        QTextCharFormat heading;
        heading.setFontPointSize(font().pointSizeF() * 1.5);
        heading.setFontWeight(QFont::DemiBold);
        ranges.append({0, block.length() - 1, heading});
    }
    const qsizetype blockStart = block.position();
    const qsizetype blockEnd = blockStart + block.length() - 1; // without the separator
    // Annotations are sorted by start; none that starts before this
    // minus the longest span can reach into the block.
    auto it = std::lower_bound(m_spans.begin(), m_spans.end(), blockStart - m_longestSpan,
                               [](const Span &s, qsizetype pos) { return s.start < pos; });
    for (; it != m_spans.end() && it->start < blockEnd; ++it) {
        if (it->end <= blockStart)
            continue;
        const Annotation &a = m_annotations[static_cast<std::size_t>(it - m_spans.begin())];
        if (!isShown(a))
            continue;
        const qsizetype from = std::max(it->start, blockStart);
        const qsizetype to = std::min(it->end, blockEnd);
        ranges.append({static_cast<int>(from - blockStart), static_cast<int>(to - from), formatFor(a)});
    }
    // Nested annotations: the outer ones first, so the inner stay visible
    // (the heading is longest of all and stays under them).
    std::stable_sort(ranges.begin(), ranges.end(),
                     [](const QTextLayout::FormatRange &a, const QTextLayout::FormatRange &b) { return a.length > b.length; });
    return ranges;
}

std::set<int> ArticleView::blocksOf(const QTextDocument *doc, const std::vector<Span> &spans)
{
    std::set<int> blocks;
    for (const Span &s : spans) {
        const int first = doc->findBlock(static_cast<int>(s.start)).blockNumber();
        const int last = doc->findBlock(static_cast<int>(std::max(s.start, s.end - 1))).blockNumber();
        for (int b = first; b <= last && b >= 0; ++b)
            blocks.insert(b);
    }
    return blocks;
}

void ArticleView::restyleBlocks(QTextDocument *doc, const std::set<int> &blockNumbers, bool laidOut)
{
    // The plain-text layout lays a single dirty block out again at once but
    // only forgets a dirty range of several, to lay it out when shown. Many
    // blocks are therefore cheaper marked as one range.
    constexpr std::size_t kBlocksMarkedOneByOne = 32;
    const bool oneByOne = laidOut && blockNumbers.size() <= kBlocksMarkedOneByOne;
    for (const int n : blockNumbers) {
        QTextBlock block = doc->findBlockByNumber(n);
        if (!block.isValid())
            continue;
        const auto formats = formatsFor(block);
        if (formats.isEmpty() && !m_formattedBlocks.count(n))
            continue;
        block.layout()->setFormats(formats);
        if (formats.isEmpty())
            m_formattedBlocks.erase(n);
        else
            m_formattedBlocks.insert(n);
        if (oneByOne)
            doc->markContentsDirty(block.position(), block.length());
    }
    if (laidOut && !oneByOne) {
        const QTextBlock first = doc->findBlockByNumber(*blockNumbers.begin());
        const QTextBlock last = doc->findBlockByNumber(*blockNumbers.rbegin());
        if (first.isValid() && last.isValid())
            doc->markContentsDirty(first.position(), last.position() + last.length() - first.position());
    }
}

void ArticleView::restyleAll()
{
    if (!m_document)
        return;
    std::set<int> blocks = blocksOf(document(), m_spans);
    blocks.insert(m_formattedBlocks.begin(), m_formattedBlocks.end());
    if (m_titleBlock)
        blocks.insert(0);
    restyleBlocks(document(), blocks, true);
    updateCurrentAnnotation();
    viewport()->update();
}

std::optional<std::size_t> ArticleView::annotationIndexAt(qsizetype utf16) const
{
    std::optional<std::size_t> best;
    auto it = std::lower_bound(m_spans.begin(), m_spans.end(), utf16 - m_longestSpan,
                               [](const Span &s, qsizetype pos) { return s.start < pos; });
    for (; it != m_spans.end() && it->start <= utf16; ++it) {
        if (it->end <= utf16)
            continue;
        const auto i = static_cast<std::size_t>(it - m_spans.begin());
        if (!isShown(m_annotations[i]))
            continue;
        if (!best || it->end - it->start < m_spans[*best].end - m_spans[*best].start)
            best = i;
    }
    return best;
}

qsizetype ArticleView::characterAt(const QPoint &pos) const
{
    const QTextCursor cursor = cursorForPosition(pos);
    const QTextBlock block = cursor.block();
    if (!block.isValid() || !block.layout())
        return -1;
    const QPointF local = QPointF(pos) - blockBoundingGeometry(block).translated(contentOffset()).topLeft();
    const QTextLayout *layout = block.layout();
    for (int i = 0; i < layout->lineCount(); ++i) {
        const QTextLine line = layout->lineAt(i);
        if (local.y() < line.y() || local.y() >= line.y() + line.height())
            continue;
        if (local.x() < line.x() || local.x() > line.x() + line.naturalTextWidth())
            return -1;
        return block.position() + line.xToCursor(local.x(), QTextLine::CursorOnCharacter);
    }
    return -1;
}

CodePointRange ArticleView::selectedRange() const
{
    const QTextCursor cursor = textCursor();
    if (!m_document || !cursor.hasSelection())
        return {};
    const auto [start, end] = snapToWords(m_document->text, cursor.selectionStart(), cursor.selectionEnd());
    return {m_document->offsets.codePointOffset(start), m_document->offsets.codePointOffset(end)};
}

QString ArticleView::textOf(CodePointRange range) const
{
    if (!m_document || range.empty())
        return {};
    const qsizetype start = m_document->offsets.utf16Offset(range.start);
    return m_document->text.mid(start, m_document->offsets.utf16Offset(range.end) - start);
}

void ArticleView::selectRange(CodePointRange range)
{
    if (!m_document)
        return;
    QTextCursor cursor(document());
    cursor.setPosition(static_cast<int>(m_document->offsets.utf16Offset(range.start)));
    cursor.setPosition(static_cast<int>(m_document->offsets.utf16Offset(range.end)), QTextCursor::KeepAnchor);
    setTextCursor(cursor);
    if (!viewport()->rect().contains(cursorRect()))
        centerCursor();
}

std::optional<Annotation> ArticleView::currentAnnotation() const
{
    if (!m_document)
        return std::nullopt;
    const QTextCursor cursor = textCursor();
    if (cursor.hasSelection()) {
        // An exactly selected annotation wins (Tab selects them so).
        for (std::size_t i = 0; i < m_spans.size(); ++i) {
            if (m_spans[i].start == cursor.selectionStart() && m_spans[i].end == cursor.selectionEnd()
                && isShown(m_annotations[i]))
                return m_annotations[i];
        }
        if (auto i = annotationIndexAt(cursor.selectionStart()))
            return m_annotations[*i];
        return std::nullopt;
    }
    auto i = annotationIndexAt(cursor.position());
    if (!i && cursor.position() > 0)
        i = annotationIndexAt(cursor.position() - 1);
    if (i)
        return m_annotations[*i];
    return std::nullopt;
}

std::vector<Annotation> ArticleView::annotationsIn(CodePointRange range) const
{
    std::vector<Annotation> out;
    for (const Annotation &a : m_annotations)
        if (a.start < range.end && range.start < a.end && isShown(a))
            out.push_back(a);
    return out;
}

std::vector<Annotation> ArticleView::selectedAnnotations() const
{
    const QTextCursor cursor = textCursor();
    if (m_document && cursor.hasSelection()) {
        auto inside = annotationsIn({m_document->offsets.codePointOffset(cursor.selectionStart()),
                                     m_document->offsets.codePointOffset(cursor.selectionEnd())});
        if (!inside.empty())
            return inside;
    }
    if (auto a = currentAnnotation())
        return {*a};
    return {};
}

bool ArticleView::selectNextAnnotation(bool forward, bool suggestionsOnly)
{
    if (!m_document || m_spans.empty())
        return false;
    const QTextCursor cursor = textCursor();
    auto eligible = [&](std::size_t i) {
        return isShown(m_annotations[i]) && (!suggestionsOnly || m_annotations[i].status == AnnotationStatus::Suggested);
    };
    // Start from the annotation that is selected, else from the cursor.
    std::optional<std::size_t> selected;
    if (cursor.hasSelection()) {
        for (std::size_t i = 0; i < m_spans.size(); ++i)
            if (m_spans[i].start == cursor.selectionStart() && m_spans[i].end == cursor.selectionEnd())
                selected = i;
    }
    std::optional<std::size_t> target;
    if (forward) {
        std::size_t i = 0;
        if (selected) {
            i = *selected + 1;
        } else {
            const qsizetype pivot = cursor.hasSelection() ? cursor.selectionEnd() : cursor.position();
            while (i < m_spans.size() && m_spans[i].start < pivot)
                ++i;
        }
        for (; i < m_spans.size() && !target; ++i)
            if (eligible(i))
                target = i;
    } else {
        std::ptrdiff_t i = static_cast<std::ptrdiff_t>(m_spans.size()) - 1;
        if (selected) {
            i = static_cast<std::ptrdiff_t>(*selected) - 1;
        } else {
            const qsizetype pivot = cursor.hasSelection() ? cursor.selectionStart() : cursor.position();
            while (i >= 0 && m_spans[static_cast<std::size_t>(i)].start >= pivot)
                --i;
        }
        for (; i >= 0 && !target; --i)
            if (eligible(static_cast<std::size_t>(i)))
                target = static_cast<std::size_t>(i);
    }
    if (!target)
        return false;
    selectRange({m_annotations[*target].start, m_annotations[*target].end});
    return true;
}

void ArticleView::setSearchMatches(std::vector<CodePointRange> matches)
{
    m_searchMatches = std::move(matches);
    updateCurrentAnnotation();
}

void ArticleView::updateCurrentAnnotation()
{
    const auto current = currentAnnotation();
    QList<QTextEdit::ExtraSelection> extras;
    if (m_document && !m_searchMatches.empty()) {
        // Search matches look like a find-in-page: a yellow marker under
        // the highlights, whatever the type colours are.
        const QColor base = palette().color(QPalette::Base);
        QTextCharFormat match;
        match.setBackground(isDark(base) ? QColor(0x6b, 0x58, 0x00) : QColor(0xff, 0xe5, 0x8a));
        for (const CodePointRange &m : m_searchMatches) {
            QTextEdit::ExtraSelection s;
            s.cursor = QTextCursor(document());
            s.cursor.setPosition(static_cast<int>(m_document->offsets.utf16Offset(m.start)));
            s.cursor.setPosition(static_cast<int>(m_document->offsets.utf16Offset(m.end)), QTextCursor::KeepAnchor);
            s.format = match;
            extras.append(s);
        }
    }
    if (current && m_document) {
        QTextEdit::ExtraSelection s;
        s.cursor = QTextCursor(document());
        s.cursor.setPosition(static_cast<int>(m_document->offsets.utf16Offset(current->start)));
        s.cursor.setPosition(static_cast<int>(m_document->offsets.utf16Offset(current->end)), QTextCursor::KeepAnchor);
        const auto style = m_styles.find(current->type);
        const QColor color = style != m_styles.end() ? style->second.color : palette().color(QPalette::Mid);
        const QColor base = palette().color(QPalette::Base);
        s.format.setBackground(mix(base, color, isDark(base) ? 0.62 : 0.48));
        if (current->status == AnnotationStatus::Suggested) {
            s.format.setUnderlineStyle(QTextCharFormat::DashUnderline);
            s.format.setUnderlineColor(color);
        }
        extras.append(s);
    }
    setExtraSelections(extras);
    const std::int64_t id = current ? current->id : 0;
    if (id != m_currentId) {
        m_currentId = id;
        Q_EMIT currentAnnotationChanged();
    }
}

QString ArticleView::tooltipFor(const Annotation &a) const
{
    const auto style = m_styles.find(a.type);
    const QString color = style != m_styles.end() ? style->second.color.name() : QStringLiteral("#888888");
    QString entity = toQString(a.entityName).toHtmlEscaped();
    if (entity.isEmpty())
        entity = tr("(no entity)");
    // Why the tagger suggested it and how sure it was, where it did.
    QStringList reasons;
    if (!a.provenance.empty())
        reasons << toQString(a.provenance).toHtmlEscaped();
    if (a.confidence)
        reasons << tr("confidence %1").arg(*a.confidence, 0, 'f', 2);
    const QString why = reasons.isEmpty()
        ? QString()
        : QStringLiteral("<br/><span style='color:gray'>%1</span>").arg(reasons.join(QStringLiteral(" · ")));
    return QStringLiteral("<p style='white-space:pre'><span style='color:%1'>■</span> <b>%2</b>&nbsp;&nbsp;%3<br/>"
                          "<span style='color:gray'>%4 · %5</span>%6</p>")
        .arg(color, toQString(a.type).toHtmlEscaped(), entity, originText(a), statusText(a.status), why);
}

void ArticleView::keyPressEvent(QKeyEvent *event)
{
    const auto modifiers = event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier);
    if (modifiers == Qt::ControlModifier && event->key() == Qt::Key_F8) {
        selectLeastConfident();
        return;
    }
    if (modifiers == Qt::ControlModifier && event->key() == Qt::Key_Tab) {
        QPlainTextEdit::focusNextPrevChild(true);
        return;
    }
    if (modifiers == Qt::NoModifier) {
        switch (event->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
            Q_EMIT acceptRequested();
            return;
        case Qt::Key_Backspace:
            Q_EMIT rejectRequested();
            return;
        case Qt::Key_Delete:
            Q_EMIT deleteRequested();
            return;
        case Qt::Key_Tab:
            selectNextAnnotation(true);
            return;
        case Qt::Key_Backtab:
            selectNextAnnotation(false);
            return;
        case Qt::Key_F8:
            selectNextAnnotation(!(event->modifiers() & Qt::ShiftModifier), true);
            return;
        case Qt::Key_Escape: {
            QTextCursor c = textCursor();
            c.clearSelection();
            setTextCursor(c);
            return;
        }
        default:
            break;
        }
        const QString key = event->text();
        if (key.size() == 1 && key.at(0).isPrint() && !key.at(0).isSpace()) {
            for (const auto &[name, style] : m_styles) {
                if (!style.shortcut.isEmpty() && style.shortcut.compare(key, Qt::CaseInsensitive) == 0) {
                    Q_EMIT typeKeyPressed(toQString(name));
                    return;
                }
            }
        }
    }
    QPlainTextEdit::keyPressEvent(event);
}

void ArticleView::mouseReleaseEvent(QMouseEvent *event)
{
    QPlainTextEdit::mouseReleaseEvent(event);
    QTextCursor cursor = textCursor();
    if (!m_document || !cursor.hasSelection())
        return;
    const auto [start, end] = snapToWords(m_document->text, cursor.selectionStart(), cursor.selectionEnd());
    if (start == end || (start == cursor.selectionStart() && end == cursor.selectionEnd()))
        return;
    cursor.setPosition(static_cast<int>(start));
    cursor.setPosition(static_cast<int>(end), QTextCursor::KeepAnchor);
    setTextCursor(cursor);
}

void ArticleView::contextMenuEvent(QContextMenuEvent *event)
{
    if (event->reason() == QContextMenuEvent::Mouse) {
        // A right click outside the selection acts on what is under the
        // mouse, as in any editor.
        const qsizetype at = characterAt(event->pos());
        const QTextCursor cursor = textCursor();
        if (at >= 0 && !(cursor.hasSelection() && at >= cursor.selectionStart() && at < cursor.selectionEnd())) {
            QTextCursor moved(document());
            moved.setPosition(static_cast<int>(at));
            setTextCursor(moved);
        }
    }
    QMenu menu(this);
    if (m_menuProvider)
        m_menuProvider(&menu);
    if (!menu.isEmpty())
        menu.addSeparator();
    QAction *copyAction = menu.addAction(tr("&Copy"), QKeySequence::Copy, this, &QPlainTextEdit::copy);
    copyAction->setEnabled(textCursor().hasSelection());
    menu.addAction(tr("Select &All"), QKeySequence::SelectAll, this, &QPlainTextEdit::selectAll);
    const QPoint at = event->reason() == QContextMenuEvent::Mouse ? event->globalPos()
                                                                  : viewport()->mapToGlobal(cursorRect().bottomLeft());
    menu.exec(at);
}

bool ArticleView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const qsizetype at = characterAt(help->pos());
        if (const auto i = at >= 0 ? annotationIndexAt(at) : std::nullopt) {
            QToolTip::showText(help->globalPos(), tooltipFor(m_annotations[*i]), viewport());
        } else {
            QToolTip::hideText();
            event->ignore();
        }
        return true;
    }
    return QPlainTextEdit::viewportEvent(event);
}

int ArticleView::columnWidth() const
{
    return fontMetrics().averageCharWidth() * kColumnCharacters + 2 * kDocumentMargin;
}

void ArticleView::updateMargins()
{
    const int scrollBar = verticalScrollBar()->isVisible() ? verticalScrollBar()->width() : 0;
    const int side = std::max(0, (width() - scrollBar - columnWidth()) / 2);
    if (viewportMargins().left() != side)
        setViewportMargins(side, 0, side, 0);
}

void ArticleView::zoom(int steps)
{
    QFont f = font();
    f.setPointSizeF(std::clamp(f.pointSizeF() + steps, 8.0, 32.0));
    setFont(f);
}

void ArticleView::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    updateMargins();
}

void ArticleView::changeEvent(QEvent *event)
{
    QPlainTextEdit::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange)
        restyleAll();
    if (event->type() == QEvent::FontChange) {
        document()->setDefaultFont(font());
        restyleAll(); // the heading's size follows the font
        updateMargins();
    }
}

bool ArticleView::focusNextPrevChild(bool next)
{
    // Tab walks the annotations (keyPressEvent); Ctrl+Tab leaves the view.
    if (m_document)
        return false;
    return QPlainTextEdit::focusNextPrevChild(next);
}

} // namespace lede::ui
