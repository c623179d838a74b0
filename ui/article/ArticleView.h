#pragma once

#include "core/store/Domain.h"
#include "ui/article/LoadedDocument.h"

#include <QColor>
#include <QPlainTextEdit>
#include <QSet>
#include <QTextCharFormat>
#include <QTextLayout>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

class QMenu;

namespace lede::ui {

/// A stretch of a document in the store's code points.
struct CodePointRange {
    std::int64_t start = 0;
    std::int64_t end = 0;
    bool empty() const { return end <= start; }
};

/// Shows one article for reading and annotating: the text in a readable
/// column, each annotation highlighted in its type's colour (suggestions
/// lighter with a dashed underline, rejected ones hidden unless asked for),
/// a tooltip with type, entity and origin, and keyboard selection.
///
/// Highlights are per-block layout formats over a plain text document, so
/// the text never changes and only the visible paragraphs are laid out:
/// an article of a megabyte with thousands of annotations opens at once.
/// The view edits nothing itself; it reports keys and menus, and
/// AnnotationEditor turns them into changes.
class ArticleView : public QPlainTextEdit {
    Q_OBJECT

public:
    explicit ArticleView(QWidget *parent = nullptr);
    ~ArticleView() override;

    /// Shows `document` and its annotations.
    void setArticle(std::shared_ptr<const LoadedDocument> document);
    void clearArticle();
    std::int64_t documentId() const { return m_document ? m_document->info.id : 0; }
    const LoadedDocument *article() const { return m_document.get(); }

    /// Replaces the annotations (after an edit); only the paragraphs whose
    /// highlights changed are laid out again.
    void setAnnotations(std::vector<Annotation> annotations);
    const std::vector<Annotation> &annotations() const { return m_annotations; }

    void setTypes(const std::vector<EntityType> &types);
    void setHiddenTypes(const QSet<QString> &types);
    void setShowRejected(bool show);
    /// Hides suggestions the tagger was less sure of than `confidence`
    /// (0-1); reviewed and manual annotations always show.
    void setMinConfidence(double confidence);
    double minConfidence() const { return m_minConfidence; }
    /// Selects the shown suggestion the tagger was least sure of: the one
    /// to review first. False when none is left.
    bool selectLeastConfident();
    bool showRejected() const { return m_showRejected; }

    /// The selection in code points, snapped to whole words; empty when
    /// nothing (or only white space) is selected.
    CodePointRange selectedRange() const;
    /// The text of a code-point range.
    QString textOf(CodePointRange range) const;
    /// Selects a code-point range and scrolls it into the middle of the view.
    void selectRange(CodePointRange range);

    /// The visible annotation at the cursor (the innermost when nested), or
    /// the one exactly selected.
    std::optional<Annotation> currentAnnotation() const;
    /// Visible annotations overlapping the selection, or at the cursor.
    std::vector<Annotation> selectedAnnotations() const;
    /// Visible annotations overlapping a code-point range.
    std::vector<Annotation> annotationsIn(CodePointRange range) const;
    /// Selects the next (or previous) visible annotation after the cursor;
    /// false when there is none.
    bool selectNextAnnotation(bool forward, bool suggestionsOnly = false);

    /// Marks the matches of a search (cleared by the next article).
    void setSearchMatches(std::vector<CodePointRange> matches);
    const std::vector<CodePointRange> &searchMatches() const { return m_searchMatches; }

    /// Called with the context menu before it opens, to add actions.
    void setMenuProvider(std::function<void(QMenu *)> provider) { m_menuProvider = std::move(provider); }

    /// The most the text column grows, in pixels at the current font.
    int columnWidth() const;

    void zoom(int steps);

    /// True when the article's first paragraph is its title, shown as a
    /// heading (so a header need not repeat it).
    bool startsWithTitle() const { return m_titleBlock; }

    /// Background colour of an annotation of colour `typeColor` over `base`.
    static QColor highlightColor(const QColor &typeColor, const QColor &base, AnnotationStatus status);

Q_SIGNALS:
    void articleShown(qint64 documentId);
    /// A type's shortcut key was pressed.
    void typeKeyPressed(const QString &type);
    void acceptRequested();
    void rejectRequested();
    void deleteRequested();
    void currentAnnotationChanged();

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    bool focusNextPrevChild(bool next) override;

private:
    struct Span {
        qsizetype start = 0; // UTF-16
        qsizetype end = 0;
    };
    struct TypeStyle {
        QColor color;
        QString shortcut;
    };

    bool isShown(const Annotation &a) const;
    QTextCharFormat formatFor(const Annotation &a) const;
    QList<QTextLayout::FormatRange> formatsFor(const QTextBlock &block) const;
    void rebuildSpans();
    void restyleBlocks(QTextDocument *doc, const std::set<int> &blockNumbers, bool laidOut);
    void restyleAll();
    static std::set<int> blocksOf(const QTextDocument *doc, const std::vector<Span> &spans);
    std::optional<std::size_t> annotationIndexAt(qsizetype utf16) const;
    qsizetype characterAt(const QPoint &viewportPos) const;
    void updateCurrentAnnotation();
    void updateMargins();
    QString tooltipFor(const Annotation &a) const;

    std::shared_ptr<const LoadedDocument> m_document;
    std::vector<Annotation> m_annotations; // by start, then end
    std::vector<Span> m_spans;             // UTF-16 spans, parallel to m_annotations
    qsizetype m_longestSpan = 0;
    std::set<int> m_formattedBlocks; // numbers of the blocks that carry highlight formats now
    std::map<std::string, TypeStyle> m_styles;
    QSet<QString> m_hiddenTypes;
    bool m_showRejected = false;
    double m_minConfidence = 0.0;
    bool m_titleBlock = false; // the first paragraph is the title, set as a heading
    std::int64_t m_currentId = 0;
    std::vector<CodePointRange> m_searchMatches;
    std::function<void(QMenu *)> m_menuProvider;
};

} // namespace lede::ui
