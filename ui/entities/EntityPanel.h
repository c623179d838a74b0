#pragma once

#include <QWidget>

#include <cstdint>

class QLineEdit;
class QSortFilterProxyModel;
class QToolButton;
class QTreeView;
class QTimer;

namespace lede::ui {

class ArticlePane;
class EntityModel;
class Workspace;

/// Entities by type, for the open article (click an entity to walk
/// through its mentions) or for all documents (click to list the
/// documents mentioning it). The context menu reviews all suggestions of
/// an entity or renames it.
class EntityPanel : public QWidget {
    Q_OBJECT

public:
    EntityPanel(Workspace *workspace, ArticlePane *article, QWidget *parent = nullptr);

    enum class Scope { Document, Corpus };
    void setScope(Scope scope);
    Scope scope() const { return m_scope; }

    EntityModel *model() const { return m_model; }
    QTreeView *tree() const { return m_tree; }

    /// Selects the next mention of an entity in the open article, after
    /// the cursor and wrapping around; false when it has none there.
    bool walkMentions(std::int64_t entityId);

Q_SIGNALS:
    /// The analyst asked which documents mention an entity.
    void documentsMentioningRequested(qint64 entityId, const QString &name);
    /// Corpus entities were (re)loaded.
    void corpusLoaded();

private:
    void refreshDocument();
    void refreshCorpus();
    void activate(const QModelIndex &proxyIndex);
    void showMenu(const QPoint &pos);

    Workspace *m_workspace;
    ArticlePane *m_article;
    EntityModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QToolButton *m_documentScope;
    QToolButton *m_corpusScope;
    QLineEdit *m_filter;
    QTreeView *m_tree;
    QTimer *m_corpusDelay;
    Scope m_scope = Scope::Document;
    int m_generation = 0;
};

} // namespace lede::ui
