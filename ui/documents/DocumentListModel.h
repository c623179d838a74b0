#pragma once

#include "core/store/Domain.h"
#include "core/store/DeskOperations.h"

#include <QAbstractTableModel>
#include <QColor>
#include <QString>

#include <cstdint>
#include <list>
#include <unordered_map>
#include <vector>

namespace lede::ui {

class Workspace;

/// Every document of the store as a table: title, source, import date,
/// non-rejected annotations per type and suggestions left to review.
///
/// Made for stores of a hundred thousand articles: the model holds only
/// the ordered ids (asked for in the background whenever the order or
/// the filter changes) and fetches the rows themselves in pages of
/// kPageSize when the view shows them, keeping the last kCachedPages.
/// No document text is ever read.
class DocumentListModel : public QAbstractTableModel {
    Q_OBJECT

public:
    /// Columns: the title, one count per entity type, the suggestions to
    /// review, the import date and the source.
    static constexpr int kTitleColumn = 0;
    int typeColumn(std::size_t typeIndex) const { return 1 + static_cast<int>(typeIndex); }
    int reviewColumn() const { return 1 + static_cast<int>(m_types.size()); }
    int importedColumn() const { return reviewColumn() + 1; }
    int sourceColumn() const { return reviewColumn() + 2; }
    enum Role { DocumentIdRole = Qt::UserRole + 1 };

    static constexpr int kPageSize = 128;
    static constexpr std::size_t kCachedPages = 64;

    explicit DocumentListModel(Workspace *workspace, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    /// Shows only documents whose title or source contains `text`.
    void setFilterText(const QString &text);
    QString filterText() const;
    /// Shows only documents mentioning an entity (0: all documents).
    void setEntityFilter(std::int64_t entityId, const QString &entityName = {});
    std::int64_t entityFilter() const { return m_filter.entityId; }
    QString entityFilterName() const { return m_entityName; }

    /// Asks the store again for the list (after imports and edits).
    void refresh();
    /// Forgets the cached rows of these documents (their counts changed).
    void invalidateDocuments(const QList<qint64> &ids);

    std::int64_t documentId(int row) const;
    /// The row of a document, or -1 when it is not listed.
    int rowOf(std::int64_t id) const;
    /// Ids in list order, for exporting "what is listed".
    const std::vector<std::int64_t> &ids() const { return m_ids; }
    bool isLoading() const { return m_pending > 0; }

Q_SIGNALS:
    /// The list of ids was replaced (after a sort, filter or refresh).
    void listReloaded();
    void errorOccurred(const QString &message);

private:
    void storeOpened();
    void applyIds(std::vector<std::int64_t> ids);
    const DocumentSummary *summary(int row) const;
    void typesChanged();

    Workspace *m_workspace;
    DocumentFilter m_filter;
    QString m_entityName;
    std::vector<std::int64_t> m_ids;
    std::vector<std::string> m_types; // type names, one column each
    std::vector<QColor> m_typeColors;
    int m_generation = 0; // bumps with each request, so stale answers are dropped
    int m_pending = 0;
    // Page number → rows; the list remembers use, oldest first.
    mutable std::unordered_map<int, std::vector<DocumentSummary>> m_pages;
    mutable std::list<int> m_pageUse;
};

} // namespace lede::ui
