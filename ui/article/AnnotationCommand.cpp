#include "ui/article/AnnotationCommand.h"

#include "core/store/Store.h"

#include <algorithm>
#include <set>
#include <unordered_map>

namespace lede::ui {

AnnotationCommand::AnnotationCommand(Workspace *workspace, const QString &text, std::vector<AnnotationChange> changes)
    : QUndoCommand(text)
    , m_workspace(workspace)
    , m_changes(std::move(changes))
{
}

std::vector<Annotation> AnnotationCommand::involved() const
{
    std::vector<Annotation> out;
    for (const AnnotationChange &c : m_changes) {
        if (c.before)
            out.push_back(*c.before);
        if (c.after)
            out.push_back(*c.after);
    }
    return out;
}

Status AnnotationCommand::execute()
{
    Store &store = m_workspace->store();
    LEDE_TRY_ASSIGN(auto learnedBefore, learnedNameStates(store, involved()));
    m_learnedBefore = std::move(learnedBefore);

    std::vector<AnnotationEdit> edits;
    edits.reserve(m_changes.size());
    for (const AnnotationChange &c : m_changes) {
        if (c.before && !c.after)
            edits.push_back({AnnotationEdit::Kind::Remove, *c.before});
        else if (!c.before && c.after)
            edits.push_back({AnnotationEdit::Kind::Add, *c.after});
        else if (c.before && c.after)
            edits.push_back({AnnotationEdit::Kind::Update, *c.after});
    }
    LEDE_TRY_ASSIGN(auto ids, applyAnnotationEdits(store, edits));

    // Keep the rows as the store now has them (ids, entity ids, times):
    // redo restores exactly these after an undo removed them. One read per
    // document, not per annotation: a bulk review touches thousands.
    std::unordered_map<std::int64_t, Annotation> rows;
    std::set<std::int64_t> documents;
    for (const AnnotationChange &c : m_changes)
        if (c.after)
            documents.insert(c.after->documentId);
    for (const std::int64_t document : documents) {
        LEDE_TRY_ASSIGN(auto all, store.annotations(document));
        for (Annotation &a : all)
            rows.emplace(a.id, std::move(a));
    }
    for (std::size_t i = 0; i < m_changes.size(); ++i) {
        if (!m_changes[i].after)
            continue;
        auto row = rows.find(ids[i]);
        if (row == rows.end())
            return makeError("annotation " + std::to_string(ids[i]) + " vanished while it was written");
        m_changes[i].after = row->second;
    }
    LEDE_TRY_ASSIGN(auto learnedAfter, learnedNameStates(store, involved()));
    m_learnedAfter = std::move(learnedAfter);
    m_skipRedo = true;
    return {};
}

Status AnnotationCommand::write(bool forward)
{
    // Forward: remove, add back, update to the after state. Backward: the
    // same in reverse order towards the before state.
    std::vector<AnnotationEdit> edits;
    std::vector<std::size_t> changeOf;
    const std::size_t n = m_changes.size();
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = forward ? k : n - 1 - k;
        const AnnotationChange &c = m_changes[i];
        const std::optional<Annotation> &from = forward ? c.before : c.after;
        const std::optional<Annotation> &to = forward ? c.after : c.before;
        AnnotationEdit edit;
        if (from && !to) {
            edit = {AnnotationEdit::Kind::Remove, *from};
        } else if (!from && to) {
            edit = {AnnotationEdit::Kind::Restore, *to};
        } else if (from && to) {
            edit = {AnnotationEdit::Kind::Update, *to};
        } else {
            continue;
        }
        edit.annotation.id = m_workspace->currentId(edit.annotation.id);
        edits.push_back(std::move(edit));
        changeOf.push_back(i);
    }
    LEDE_TRY_ASSIGN(auto ids, applyAnnotationEdits(m_workspace->store(), edits, forward ? m_learnedAfter : m_learnedBefore));
    for (std::size_t k = 0; k < edits.size(); ++k) {
        if (edits[k].kind != AnnotationEdit::Kind::Restore)
            continue;
        AnnotationChange &c = m_changes[changeOf[k]];
        std::optional<Annotation> &restored = forward ? c.after : c.before;
        const std::int64_t newId = ids[k];
        if (restored->id != newId) {
            // Both the id this command knew and the one it tried lead here.
            m_workspace->remapId(edits[k].annotation.id, newId);
            m_workspace->remapId(restored->id, newId);
            restored->id = newId;
        }
    }
    return {};
}

void AnnotationCommand::notify(bool forward)
{
    QList<qint64> documents;
    std::int64_t focusDocument = 0;
    std::int64_t start = 0;
    std::int64_t end = 0;
    for (const AnnotationChange &c : m_changes) {
        const std::optional<Annotation> &shown = forward ? (c.after ? c.after : c.before) : (c.before ? c.before : c.after);
        if (!shown)
            continue;
        if (!documents.contains(shown->documentId))
            documents.append(shown->documentId);
        if (focusDocument == 0) {
            focusDocument = shown->documentId;
            start = shown->start;
            end = shown->end;
        }
    }
    m_workspace->notifyAnnotationsChanged(documents);
    if (focusDocument != 0)
        Q_EMIT m_workspace->changeApplied(focusDocument, start, end);
}

void AnnotationCommand::redo()
{
    if (m_skipRedo) {
        m_skipRedo = false;
        notify(true);
        return;
    }
    if (auto st = write(true); !st) {
        m_workspace->reportError(QObject::tr("Could not redo “%1”").arg(text()), st.message());
        setObsolete(true);
        return;
    }
    notify(true);
}

void AnnotationCommand::undo()
{
    if (auto st = write(false); !st) {
        m_workspace->reportError(QObject::tr("Could not undo “%1”").arg(text()), st.message());
        setObsolete(true);
        return;
    }
    notify(false);
}

} // namespace lede::ui
