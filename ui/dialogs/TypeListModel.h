#pragma once

#include "core/store/Domain.h"

#include <QAbstractTableModel>

#include <vector>

namespace lede::ui {

class Workspace;

/// The entity types of the store: colour, name and shortcut key. The key
/// column is editable; edits go to the store at once.
class TypeListModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { ColorColumn, NameColumn, KeyColumn, ColumnCount };

    explicit TypeListModel(Workspace *workspace, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    const EntityType *type(int row) const;

Q_SIGNALS:
    void errorOccurred(const QString &message);

private:
    void reload();

    Workspace *m_workspace;
    std::vector<EntityType> m_types;
};

} // namespace lede::ui
