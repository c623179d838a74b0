#pragma once

#include "core/base/Result.h"

#include <QString>
#include <QUndoCommand>

#include <cstdint>

namespace lede::ui {

class Workspace;

/// Renames an entity; undo gives it back its old name. Executed once by
/// execute() before it is pushed, like AnnotationCommand.
class RenameEntityCommand : public QUndoCommand {
public:
    RenameEntityCommand(Workspace *workspace, std::int64_t entityId, QString oldName, QString newName);

    Status execute();
    void undo() override;
    void redo() override;

private:
    void rename(const QString &name);

    Workspace *m_workspace;
    std::int64_t m_entityId;
    QString m_oldName;
    QString m_newName;
    bool m_skipRedo = false;
};

} // namespace lede::ui
