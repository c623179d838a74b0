#include "ui/entities/EntityModel.h"

#include "ui/base/QtText.h"

#include <QFont>
#include <QPixmap>

#include <algorithm>
#include <map>

namespace lede::ui {

namespace {

// Top-level rows (types) carry internal id 0; an entity row carries the
// number of its group plus one.
constexpr quintptr kTypeRow = 0;

} // namespace

EntityModel::EntityModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

void EntityModel::setTypes(const std::vector<EntityType> &types)
{
    m_types = types;
    if (!m_groups.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

QColor EntityModel::colorOf(const std::string &type) const
{
    for (const EntityType &t : m_types)
        if (t.name == type)
            return QColor(toQString(t.color));
    return QColor(Qt::gray);
}

void EntityModel::setGroups(std::vector<Group> groups)
{
    // Groups follow the order of the types; entities most mentioned first.
    auto rank = [this](const std::string &type) {
        for (std::size_t i = 0; i < m_types.size(); ++i)
            if (m_types[i].name == type)
                return i;
        return m_types.size();
    };
    std::stable_sort(groups.begin(), groups.end(), [&](const Group &a, const Group &b) { return rank(a.type) < rank(b.type); });
    for (Group &g : groups) {
        std::sort(g.rows.begin(), g.rows.end(), [this](const Row &a, const Row &b) {
            const auto ka = m_corpus ? a.documents : a.mentions;
            const auto kb = m_corpus ? b.documents : b.mentions;
            if (ka != kb)
                return ka > kb;
            return QString::localeAwareCompare(a.name, b.name) < 0;
        });
    }
    beginResetModel();
    m_groups = std::move(groups);
    endResetModel();
}

void EntityModel::setDocumentAnnotations(const std::vector<Annotation> &annotations)
{
    m_corpus = false;
    std::map<std::string, std::map<std::pair<std::int64_t, std::string>, Row>> byType;
    for (const Annotation &a : annotations) {
        if (a.status == AnnotationStatus::Rejected)
            continue;
        Row &row = byType[a.type][{a.entityId, a.entityName}];
        row.entityId = a.entityId;
        row.name = toQString(a.entityName);
        ++row.mentions;
        row.documents = 1;
        if (a.status == AnnotationStatus::Suggested)
            ++row.suggestions;
    }
    std::vector<Group> groups;
    for (auto &[type, rows] : byType) {
        Group g;
        g.type = type;
        g.documents = 1;
        for (auto &[key, row] : rows) {
            g.mentions += row.mentions;
            g.rows.push_back(std::move(row));
        }
        groups.push_back(std::move(g));
    }
    setGroups(std::move(groups));
}

void EntityModel::setCorpusEntities(const std::vector<CorpusEntity> &entities)
{
    m_corpus = true;
    std::map<std::string, Group> byType;
    for (const CorpusEntity &e : entities) {
        Group &g = byType[e.type];
        g.type = e.type;
        g.mentions += e.mentions;
        g.documents += e.documents;
        g.rows.push_back({e.id, toQString(e.name), e.mentions, e.documents, 0});
    }
    std::vector<Group> groups;
    for (auto &[type, g] : byType)
        groups.push_back(std::move(g));
    setGroups(std::move(groups));
}

void EntityModel::clear() { setGroups({}); }

QModelIndex EntityModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid())
        return static_cast<std::size_t>(row) < m_groups.size() ? createIndex(row, column, kTypeRow) : QModelIndex();
    if (parent.internalId() != kTypeRow || parent.column() != 0)
        return {};
    const auto group = static_cast<std::size_t>(parent.row());
    if (group >= m_groups.size() || static_cast<std::size_t>(row) >= m_groups[group].rows.size())
        return {};
    return createIndex(row, column, static_cast<quintptr>(group + 1));
}

QModelIndex EntityModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kTypeRow)
        return {};
    return createIndex(static_cast<int>(child.internalId() - 1), 0, kTypeRow);
}

int EntityModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return static_cast<int>(m_groups.size());
    if (parent.internalId() != kTypeRow || parent.column() != 0)
        return 0;
    const auto group = static_cast<std::size_t>(parent.row());
    return group < m_groups.size() ? static_cast<int>(m_groups[group].rows.size()) : 0;
}

int EntityModel::columnCount(const QModelIndex &) const { return ColumnCount; }

QVariant EntityModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const bool isType = index.internalId() == kTypeRow;
    const auto groupIndex = static_cast<std::size_t>(isType ? index.row() : static_cast<int>(index.internalId() - 1));
    if (groupIndex >= m_groups.size())
        return {};
    const Group &group = m_groups[groupIndex];
    const Row *row = isType ? nullptr : &group.rows[static_cast<std::size_t>(index.row())];

    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return isType ? toQString(group.type) : row->name;
        case MentionsColumn:
            return QString::number(isType ? group.mentions : row->mentions);
        case DocumentsColumn:
            return QString::number(isType ? group.documents : row->documents);
        default:
            return {};
        }
    case Qt::DecorationRole:
        if (index.column() == NameColumn && isType) {
            QPixmap swatch(12, 12);
            swatch.fill(colorOf(group.type));
            return swatch;
        }
        return {};
    case Qt::FontRole:
        if (isType || (row->suggestions > 0 && row->suggestions == row->mentions)) {
            QFont f;
            f.setBold(isType);
            f.setItalic(!isType); // nothing of it reviewed yet
            return f;
        }
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == NameColumn ? QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter)
                                            : QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        if (isType)
            return tr("%n entity(ies)", nullptr, static_cast<int>(group.rows.size()));
        if (m_corpus)
            return tr("%1: %n mention(s)", nullptr, static_cast<int>(row->mentions)).arg(row->name)
                + tr(" in %n document(s)", nullptr, static_cast<int>(row->documents));
        return row->suggestions > 0
            ? tr("%1: %n mention(s), %2 awaiting review", nullptr, static_cast<int>(row->mentions)).arg(row->name).arg(row->suggestions)
            : tr("%1: %n mention(s)", nullptr, static_cast<int>(row->mentions)).arg(row->name);
    case EntityIdRole:
        return QVariant::fromValue<qint64>(isType ? 0 : row->entityId);
    case TypeRole:
        return toQString(group.type);
    case IsTypeRole:
        return isType;
    case SuggestionsRole:
        return QVariant::fromValue<qint64>(isType ? 0 : row->suggestions);
    default:
        return {};
    }
}

QVariant EntityModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractItemModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Entity");
    case MentionsColumn:
        return tr("Mentions");
    case DocumentsColumn:
        return tr("Docs");
    default:
        return {};
    }
}

QModelIndex EntityModel::indexOfEntity(std::int64_t entityId) const
{
    for (std::size_t g = 0; g < m_groups.size(); ++g)
        for (std::size_t r = 0; r < m_groups[g].rows.size(); ++r)
            if (m_groups[g].rows[r].entityId == entityId)
                return createIndex(static_cast<int>(r), 0, static_cast<quintptr>(g + 1));
    return {};
}

} // namespace lede::ui
