#include "ui/dialogs/TypeListModel.h"

#include "core/store/DeskOperations.h"
#include "ui/base/QtText.h"
#include "ui/app/Workspace.h"

#include <QColor>
#include <QPixmap>

namespace lede::ui {

TypeListModel::TypeListModel(Workspace *workspace, QObject *parent)
    : QAbstractTableModel(parent)
    , m_workspace(workspace)
{
    connect(workspace, &Workspace::typesChanged, this, &TypeListModel::reload);
    m_types = workspace->types();
}

void TypeListModel::reload()
{
    const auto &types = m_workspace->types();
    if (types.size() == m_types.size()) {
        m_types = types;
        if (!m_types.empty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_types = types;
    endResetModel();
}

int TypeListModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : static_cast<int>(m_types.size()); }

int TypeListModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

const EntityType *TypeListModel::type(int row) const
{
    return row >= 0 && static_cast<std::size_t>(row) < m_types.size() ? &m_types[static_cast<std::size_t>(row)] : nullptr;
}

QVariant TypeListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const EntityType &t = m_types[static_cast<std::size_t>(index.row())];
    switch (index.column()) {
    case ColorColumn:
        if (role == Qt::DecorationRole) {
            QPixmap swatch(28, 14);
            swatch.fill(QColor(toQString(t.color)));
            return swatch;
        }
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
            return toQString(t.color);
        return {};
    case NameColumn:
        return role == Qt::DisplayRole ? QVariant(toQString(t.name)) : QVariant();
    case KeyColumn:
        return role == Qt::DisplayRole || role == Qt::EditRole ? QVariant(toQString(t.shortcut)) : QVariant();
    default:
        return {};
    }
}

QVariant TypeListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ColorColumn:
        return tr("Colour");
    case NameColumn:
        return tr("Type");
    case KeyColumn:
        return tr("Key");
    default:
        return {};
    }
}

Qt::ItemFlags TypeListModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == KeyColumn)
        f |= Qt::ItemIsEditable;
    return f;
}

bool TypeListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || role != Qt::EditRole
        || index.column() != KeyColumn)
        return false;
    const EntityType &t = m_types[static_cast<std::size_t>(index.row())];
    if (auto st = setTypeShortcut(m_workspace->store(), t.name, toUtf8(value.toString().trimmed())); !st) {
        Q_EMIT errorOccurred(toQString(st.message()));
        return false;
    }
    m_workspace->reloadTypes(); // emits typesChanged, which reloads this model
    return true;
}

} // namespace lede::ui
