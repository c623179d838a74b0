#pragma once

#include "core/search/Search.h"
#include "ui/article/ArticleView.h"

#include <QAbstractListModel>
#include <QString>

#include <cstdint>
#include <vector>

namespace lede::ui {

/// One page of search results: each hit's title, a snippet with its
/// matches marked, and where in the document every match lies.
class SearchResultModel : public QAbstractListModel {
    Q_OBJECT

public:
    enum Role { DocumentIdRole = Qt::UserRole + 1, SnippetHtmlRole, TitleHtmlRole };

    struct Hit {
        std::int64_t documentId = 0;
        QString title;
        QString titleHtml;   // title with matches marked
        QString snippetHtml; // snippet with matches marked
        std::vector<CodePointRange> matches; // in the document text
    };

    explicit SearchResultModel(QObject *parent = nullptr);

    void setResults(const SearchResults &results);
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    const Hit *hit(int row) const;
    std::vector<std::int64_t> documentIds() const;
    std::int64_t total() const { return m_total; }

    /// `text` as HTML with `matches` (code points of `text`) in <b> marks.
    static QString markMatches(const QString &text, const std::vector<MatchSpan> &matches);

private:
    std::vector<Hit> m_hits;
    std::int64_t m_total = 0;
};

} // namespace lede::ui
