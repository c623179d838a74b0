#pragma once

#include "core/base/Result.h"
#include "core/store/DeskOperations.h"
#include "ui/app/Workspace.h"

#include <QUndoCommand>

#include <vector>

namespace lede::ui {

/// An undoable batch of annotation changes: added, removed and altered
/// annotations of one or many documents. Every direction is written to the
/// store in one transaction, together with what the tagger had learned
/// about the names involved, so undo also takes back what a change taught.
///
/// The command is executed once by execute() before it is pushed; the
/// push's own redo() then only notifies. An undo or redo the store refuses
/// (another program removed the annotation) reports the error and marks
/// the command obsolete, so the stack drops it.
class AnnotationCommand : public QUndoCommand {
public:
    AnnotationCommand(Workspace *workspace, const QString &text, std::vector<AnnotationChange> changes);

    /// Writes the changes for the first time; nothing is written on failure.
    Status execute();

    void undo() override;
    void redo() override;

    const std::vector<AnnotationChange> &changes() const { return m_changes; }

private:
    Status write(bool forward);
    std::vector<Annotation> involved() const;
    void notify(bool forward);

    Workspace *m_workspace;
    std::vector<AnnotationChange> m_changes;
    std::vector<LearnedNameState> m_learnedBefore;
    std::vector<LearnedNameState> m_learnedAfter;
    bool m_skipRedo = false;
};

} // namespace lede::ui
