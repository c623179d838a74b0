#pragma once

#include "core/store/Domain.h"

#include <QAbstractItemModel>
#include <QColor>
#include <QString>

#include <cstdint>
#include <string>
#include <vector>

namespace lede::ui {

/// Entities grouped by type: type → entity, with mention and document
/// counts. Filled either from one document's annotations (what this
/// article mentions) or from corpus-wide counts; rejected annotations never
/// count.
class EntityModel : public QAbstractItemModel {
    Q_OBJECT

public:
    enum Column { NameColumn, MentionsColumn, DocumentsColumn, ColumnCount };
    enum Role { EntityIdRole = Qt::UserRole + 1, TypeRole, IsTypeRole, SuggestionsRole };

    /// One entity as the corpus view lists it.
    struct CorpusEntity {
        std::int64_t id = 0;
        std::string name;
        std::string type;
        std::int64_t documents = 0;
        std::int64_t mentions = 0;
    };

    explicit EntityModel(QObject *parent = nullptr);

    void setTypes(const std::vector<EntityType> &types);
    /// The entities one document mentions, from its annotations.
    void setDocumentAnnotations(const std::vector<Annotation> &annotations);
    void setCorpusEntities(const std::vector<CorpusEntity> &entities);
    void clear();

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// The index of an entity, or an invalid one.
    QModelIndex indexOfEntity(std::int64_t entityId) const;

private:
    struct Row {
        std::int64_t entityId = 0;
        QString name;
        std::int64_t mentions = 0;
        std::int64_t documents = 0;
        std::int64_t suggestions = 0;
    };
    struct Group {
        std::string type;
        std::vector<Row> rows;
        std::int64_t mentions = 0;
        std::int64_t documents = 0;
    };
    void setGroups(std::vector<Group> groups);
    QColor colorOf(const std::string &type) const;

    std::vector<EntityType> m_types;
    std::vector<Group> m_groups;
    bool m_corpus = false;
};

} // namespace lede::ui
