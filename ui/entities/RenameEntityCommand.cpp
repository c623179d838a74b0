#include "ui/entities/RenameEntityCommand.h"

#include "core/store/DeskOperations.h"
#include "ui/base/QtText.h"
#include "ui/app/Workspace.h"

#include <QObject>

namespace lede::ui {

RenameEntityCommand::RenameEntityCommand(Workspace *workspace, std::int64_t entityId, QString oldName, QString newName)
    : QUndoCommand(QObject::tr("Rename “%1” to “%2”").arg(oldName, newName))
    , m_workspace(workspace)
    , m_entityId(entityId)
    , m_oldName(std::move(oldName))
    , m_newName(std::move(newName))
{
}

Status RenameEntityCommand::execute()
{
    auto st = lede::renameEntity(m_workspace->store(), m_entityId, toUtf8(m_newName));
    if (st)
        m_skipRedo = true;
    return st;
}

void RenameEntityCommand::rename(const QString &name)
{
    if (auto st = lede::renameEntity(m_workspace->store(), m_entityId, toUtf8(name)); !st) {
        m_workspace->reportError(QObject::tr("Could not rename the entity"), st.message());
        setObsolete(true);
        return;
    }
    m_workspace->notifyAnnotationsChanged({});
}

void RenameEntityCommand::redo()
{
    if (m_skipRedo) {
        m_skipRedo = false;
        m_workspace->notifyAnnotationsChanged({});
        return;
    }
    rename(m_newName);
}

void RenameEntityCommand::undo() { rename(m_oldName); }

} // namespace lede::ui
