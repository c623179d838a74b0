#include "ui/search/SearchResultModel.h"

#include "ui/base/QtText.h"
#include "ui/base/Utf16Index.h"

namespace lede::ui {

SearchResultModel::SearchResultModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

QString SearchResultModel::markMatches(const QString &text, const std::vector<MatchSpan> &matches)
{
    const Utf16Index offsets(text);
    QString html;
    qsizetype at = 0;
    for (const MatchSpan &m : matches) {
        const qsizetype start = offsets.utf16Offset(m.start);
        const qsizetype end = offsets.utf16Offset(m.end);
        if (start < at || end <= start)
            continue;
        html += text.mid(at, start - at).toHtmlEscaped();
        html += QStringLiteral("<b>") + text.mid(start, end - start).toHtmlEscaped() + QStringLiteral("</b>");
        at = end;
    }
    html += text.mid(at).toHtmlEscaped();
    return html;
}

void SearchResultModel::setResults(const SearchResults &results)
{
    std::vector<Hit> hits;
    hits.reserve(results.hits.size());
    for (const SearchHit &h : results.hits) {
        Hit hit;
        hit.documentId = h.documentId;
        hit.title = toQString(h.title);
        hit.titleHtml = markMatches(hit.title, h.titleMatches);
        hit.snippetHtml = markMatches(toQString(h.snippet), h.snippetMatches);
        for (const MatchSpan &m : h.documentMatches)
            hit.matches.push_back({m.start, m.end});
        hits.push_back(std::move(hit));
    }
    beginResetModel();
    m_hits = std::move(hits);
    m_total = results.total;
    endResetModel();
}

void SearchResultModel::clear()
{
    beginResetModel();
    m_hits.clear();
    m_total = 0;
    endResetModel();
}

int SearchResultModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : static_cast<int>(m_hits.size()); }

QVariant SearchResultModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Hit &h = m_hits[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return h.title;
    case Qt::ToolTipRole:
        return tr("%n match(es) in this document", nullptr, static_cast<int>(h.matches.size()));
    case DocumentIdRole:
        return QVariant::fromValue<qint64>(h.documentId);
    case SnippetHtmlRole:
        return h.snippetHtml;
    case TitleHtmlRole:
        return h.titleHtml;
    default:
        return {};
    }
}

const SearchResultModel::Hit *SearchResultModel::hit(int row) const
{
    return row >= 0 && static_cast<std::size_t>(row) < m_hits.size() ? &m_hits[static_cast<std::size_t>(row)] : nullptr;
}

std::vector<std::int64_t> SearchResultModel::documentIds() const
{
    std::vector<std::int64_t> ids;
    for (const Hit &h : m_hits)
        ids.push_back(h.documentId);
    return ids;
}

} // namespace lede::ui
