#include "ui/documents/DocumentListModel.h"

#include "core/store/Store.h"
#include "ui/base/QtText.h"
#include "ui/app/Workspace.h"

#include <QDateTime>
#include <QFileInfo>
#include <QPixmap>

#include <algorithm>

namespace lede::ui {

namespace {

QString shortTypeName(const std::string &name)
{
    const QString full = toQString(name);
    return full.size() <= 4 ? full : full.left(3);
}

QString localTime(const std::string &iso)
{
    const QDateTime t = QDateTime::fromString(toQString(iso), Qt::ISODate);
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : toQString(iso);
}

} // namespace

DocumentListModel::DocumentListModel(Workspace *workspace, QObject *parent)
    : QAbstractTableModel(parent)
    , m_workspace(workspace)
{
    connect(workspace, &Workspace::storeOpened, this, &DocumentListModel::storeOpened);
    connect(workspace, &Workspace::typesChanged, this, &DocumentListModel::typesChanged);
    connect(workspace, &Workspace::documentsChanged, this, &DocumentListModel::refresh);
    connect(workspace, &Workspace::annotationsChanged, this, &DocumentListModel::invalidateDocuments);
    if (workspace->isOpen())
        storeOpened();
}

void DocumentListModel::storeOpened()
{
    beginResetModel();
    m_ids.clear();
    m_pages.clear();
    m_pageUse.clear();
    m_filter.entityId = 0;
    m_filter.text.clear();
    m_entityName.clear();
    m_types.clear();
    m_typeColors.clear();
    for (const EntityType &t : m_workspace->types()) {
        m_types.push_back(t.name);
        m_typeColors.emplace_back(toQString(t.color));
    }
    endResetModel();
    refresh();
}

void DocumentListModel::typesChanged()
{
    std::vector<std::string> names;
    std::vector<QColor> colors;
    for (const EntityType &t : m_workspace->types()) {
        names.push_back(t.name);
        colors.emplace_back(toQString(t.color));
    }
    if (names == m_types) {
        // Only colours changed: the headers repaint, the columns stay.
        m_typeColors = std::move(colors);
        if (!m_types.empty())
            Q_EMIT headerDataChanged(Qt::Horizontal, typeColumn(0), typeColumn(m_types.size() - 1));
        return;
    }
    beginResetModel();
    m_types = std::move(names);
    m_typeColors = std::move(colors);
    m_pages.clear();
    m_pageUse.clear();
    endResetModel();
}

int DocumentListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_ids.size());
}

int DocumentListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : sourceColumn() + 1;
}

std::int64_t DocumentListModel::documentId(int row) const
{
    return row >= 0 && static_cast<std::size_t>(row) < m_ids.size() ? m_ids[static_cast<std::size_t>(row)] : 0;
}

int DocumentListModel::rowOf(std::int64_t id) const
{
    const auto it = std::find(m_ids.begin(), m_ids.end(), id);
    return it == m_ids.end() ? -1 : static_cast<int>(it - m_ids.begin());
}

const DocumentSummary *DocumentListModel::summary(int row) const
{
    if (row < 0 || static_cast<std::size_t>(row) >= m_ids.size() || !m_workspace->isOpen())
        return nullptr;
    const int page = row / kPageSize;
    auto it = m_pages.find(page);
    if (it == m_pages.end()) {
        // A page is a few index look-ups on the UI thread's connection:
        // cheaper than a round trip to a worker, and never a text read.
        const std::size_t first = static_cast<std::size_t>(page) * kPageSize;
        const std::size_t last = std::min(m_ids.size(), first + kPageSize);
        const std::vector<std::int64_t> ids(m_ids.begin() + static_cast<std::ptrdiff_t>(first),
                                            m_ids.begin() + static_cast<std::ptrdiff_t>(last));
        auto rows = documentSummaries(m_workspace->store(), ids);
        std::vector<DocumentSummary> aligned(ids.size());
        if (rows) {
            // Documents removed since the ids were listed leave a blank row
            // until the next refresh.
            std::size_t j = 0;
            for (std::size_t i = 0; i < ids.size(); ++i) {
                aligned[i].id = ids[i];
                if (j < rows->size() && (*rows)[j].id == ids[i])
                    aligned[i] = std::move((*rows)[j++]);
            }
        }
        if (m_pages.size() >= kCachedPages && !m_pageUse.empty()) {
            m_pages.erase(m_pageUse.front());
            m_pageUse.pop_front();
        }
        it = m_pages.emplace(page, std::move(aligned)).first;
        m_pageUse.push_back(page);
    }
    const auto &rows = it->second;
    const auto offset = static_cast<std::size_t>(row % kPageSize);
    return offset < rows.size() ? &rows[offset] : nullptr;
}

QVariant DocumentListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int column = index.column();
    if (role == DocumentIdRole)
        return QVariant::fromValue<qint64>(documentId(index.row()));
    if (role == Qt::TextAlignmentRole) {
        if (column == kTitleColumn || column == sourceColumn())
            return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
        if (column == importedColumn())
            return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != Qt::EditRole)
        return {};
    const DocumentSummary *d = summary(index.row());
    if (!d)
        return {};

    if (column == kTitleColumn) {
        const QString title = d->title.empty() ? tr("(untitled)") : toQString(d->title);
        if (role == Qt::ToolTipRole)
            return QStringLiteral("<b>%1</b><br/>%2").arg(title.toHtmlEscaped(), toQString(d->source).toHtmlEscaped());
        return title;
    }
    if (column == reviewColumn()) {
        if (role == Qt::ToolTipRole)
            return tr("%n suggestion(s) to review", nullptr, static_cast<int>(d->suggestions));
        return d->suggestions > 0 ? QVariant(QString::number(d->suggestions)) : QVariant(QString());
    }
    if (column == importedColumn())
        return localTime(d->importedAt);
    if (column == sourceColumn()) {
        if (role == Qt::ToolTipRole)
            return toQString(d->source);
        const QString source = toQString(d->source);
        const QString name = QFileInfo(source).fileName();
        return name.isEmpty() ? source : name;
    }
    const auto type = static_cast<std::size_t>(column - 1);
    if (type < m_types.size()) {
        const auto it = d->countsByType.find(m_types[type]);
        const std::int64_t n = it == d->countsByType.end() ? 0 : it->second;
        if (role == Qt::ToolTipRole)
            return tr("%n %1 annotation(s)", nullptr, static_cast<int>(n)).arg(toQString(m_types[type]));
        return n > 0 ? QVariant(QString::number(n)) : QVariant(QString());
    }
    return {};
}

QVariant DocumentListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return QAbstractTableModel::headerData(section, orientation, role);
    const auto type = static_cast<std::size_t>(section - 1);
    const bool isType = section >= 1 && type < m_types.size();
    switch (role) {
    case Qt::DisplayRole:
        if (section == kTitleColumn)
            return tr("Title");
        if (section == reviewColumn())
            return tr("Review");
        if (section == importedColumn())
            return tr("Imported");
        if (section == sourceColumn())
            return tr("Source");
        if (isType)
            return shortTypeName(m_types[type]);
        return {};
    case Qt::ToolTipRole:
        if (isType)
            return tr("Annotations of type %1 (not rejected)").arg(toQString(m_types[type]));
        if (section == reviewColumn())
            return tr("Suggestions awaiting review");
        return {};
    case Qt::DecorationRole:
        if (isType) {
            QPixmap swatch(10, 10);
            swatch.fill(m_typeColors[type]);
            return swatch;
        }
        return {};
    case Qt::TextAlignmentRole:
        return section == kTitleColumn || section >= importedColumn() ? QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter)
                                                                     : QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

void DocumentListModel::sort(int column, Qt::SortOrder order)
{
    DocumentFilter f = m_filter;
    f.descending = order == Qt::DescendingOrder;
    f.sortType.clear();
    const auto type = static_cast<std::size_t>(column - 1);
    if (column < 0)
        f.sort = DocumentSort::Id;
    else if (column == kTitleColumn)
        f.sort = DocumentSort::Title;
    else if (column == reviewColumn())
        f.sort = DocumentSort::Suggestions;
    else if (column == importedColumn())
        f.sort = DocumentSort::ImportedAt;
    else if (column == sourceColumn())
        f.sort = DocumentSort::Source;
    else if (type < m_types.size()) {
        f.sort = DocumentSort::TypeCount;
        f.sortType = m_types[type];
    }
    m_filter = f;
    refresh();
}

void DocumentListModel::setFilterText(const QString &text)
{
    const std::string t = toUtf8(text.trimmed());
    if (t == m_filter.text)
        return;
    m_filter.text = t;
    refresh();
}

QString DocumentListModel::filterText() const { return toQString(m_filter.text); }

void DocumentListModel::setEntityFilter(std::int64_t entityId, const QString &entityName)
{
    m_filter.entityId = entityId;
    m_entityName = entityId ? entityName : QString();
    refresh();
}

void DocumentListModel::refresh()
{
    if (!m_workspace->isOpen())
        return;
    const int generation = ++m_generation;
    ++m_pending;
    const DocumentFilter filter = m_filter;
    m_workspace->read<std::vector<std::int64_t>>(
        this, [filter](Store &store) { return listDocumentIds(store, filter); },
        [this, generation](Result<std::vector<std::int64_t>> ids) {
            --m_pending;
            if (generation != m_generation)
                return;
            if (!ids) {
                Q_EMIT errorOccurred(toQString(ids.message()));
                return;
            }
            applyIds(std::move(*ids));
        });
}

void DocumentListModel::applyIds(std::vector<std::int64_t> ids)
{
    m_pages.clear();
    m_pageUse.clear();
    if (ids == m_ids) {
        if (!m_ids.empty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
    } else if (ids.size() > m_ids.size() && std::equal(m_ids.begin(), m_ids.end(), ids.begin())) {
        // An import appended documents: insert them rather than reset, so
        // the view keeps its selection and scroll position.
        if (!m_ids.empty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
        beginInsertRows({}, rowCount(), static_cast<int>(ids.size()) - 1);
        m_ids = std::move(ids);
        endInsertRows();
    } else {
        beginResetModel();
        m_ids = std::move(ids);
        endResetModel();
    }
    Q_EMIT listReloaded();
}

void DocumentListModel::invalidateDocuments(const QList<qint64> &ids)
{
    if (m_ids.empty())
        return;
    if (ids.isEmpty()) {
        m_pages.clear();
        m_pageUse.clear();
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
        return;
    }
    for (const qint64 id : ids) {
        const int row = rowOf(id);
        if (row < 0)
            continue;
        const int page = row / kPageSize;
        if (m_pages.erase(page))
            m_pageUse.remove(page);
        Q_EMIT dataChanged(index(row, 0), index(row, columnCount() - 1));
    }
}

} // namespace lede::ui
