#pragma once

#include <QWidget>

#include <cstdint>
#include <memory>

class QLabel;
class QToolButton;

namespace lede::ui {

class AnnotationEditor;
class ArticleView;
class TypeLegend;
class Workspace;
struct LoadedDocument;

/// The middle of the window: the open article's title and facts, the
/// legend of types, the article itself and a strip to review all of its
/// suggestions at once. Articles load on a background connection, so
/// switching documents never waits for the disk.
class ArticlePane : public QWidget {
    Q_OBJECT

public:
    explicit ArticlePane(Workspace *workspace, QWidget *parent = nullptr);

    /// Loads and shows a document (0 clears); documentShown follows.
    void showDocument(std::int64_t id);
    std::int64_t documentId() const;
    /// The id asked for last, shown or still loading.
    std::int64_t requestedId() const { return m_requested; }

    ArticleView *view() const { return m_view; }
    AnnotationEditor *editor() const { return m_editor; }
    TypeLegend *legend() const { return m_legend; }

    /// Reads the open document's annotations again (after a change).
    void reloadAnnotations();

Q_SIGNALS:
    void documentShown(qint64 id);
    void loadFailed(const QString &message);

private:
    void display(std::shared_ptr<const LoadedDocument> document);
    void updateHeader();

    Workspace *m_workspace;
    QWidget *m_header;
    QLabel *m_title;
    QLabel *m_meta;
    QLabel *m_review;
    QToolButton *m_acceptAll;
    QToolButton *m_rejectAll;
    TypeLegend *m_legend;
    ArticleView *m_view;
    AnnotationEditor *m_editor;
    std::int64_t m_requested = 0;
    int m_generation = 0;
};

} // namespace lede::ui
