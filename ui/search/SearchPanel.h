#pragma once

#include "ui/article/ArticleView.h"

#include <QWidget>

#include <cstdint>
#include <vector>

class QLabel;
class QListView;

namespace lede::ui {

class SearchResultModel;
class Workspace;

/// Results of a full-text search in the search issue's query language
/// (words, "phrases", prefix*, AND/OR/NOT, type: entity: status: origin:),
/// ranked, each with a snippet; opening one shows the document at its
/// first match. Searches run on a background connection.
class SearchPanel : public QWidget {
    Q_OBJECT

public:
    explicit SearchPanel(Workspace *workspace, QWidget *parent = nullptr);

    /// Runs a query; searchFinished follows. An empty query clears.
    void search(const QString &query);
    QString query() const { return m_query; }

    SearchResultModel *model() const { return m_model; }
    QListView *list() const { return m_list; }
    std::vector<std::int64_t> resultDocuments() const;

    /// Opens the result in `row` (as a click does).
    void openResult(int row);

    static constexpr std::size_t kMaxResults = 200;

Q_SIGNALS:
    void searchFinished(qint64 total);
    /// Open this document and show these matches.
    void resultOpened(qint64 documentId, const std::vector<lede::ui::CodePointRange> &matches);

private:
    Workspace *m_workspace;
    SearchResultModel *m_model;
    QLabel *m_status;
    QListView *m_list;
    QString m_query;
    int m_generation = 0;
};

} // namespace lede::ui
