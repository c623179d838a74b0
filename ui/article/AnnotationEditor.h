#pragma once

#include "core/store/Domain.h"
#include "core/store/DeskOperations.h"
#include "ui/article/ArticleView.h"
#include "ui/app/Workspace.h"

#include <QObject>
#include <QString>

#include <set>
#include <vector>

class QMenu;
class QWidget;

namespace lede::ui {

/// Turns what the analyst does in an ArticleView (keys, menus) into
/// annotation changes on the Workspace: each operation builds one undoable
/// change, written to the store at once. Operations return false and say
/// why through message() when there is nothing to do or the store refused.
class AnnotationEditor : public QObject {
    Q_OBJECT

public:
    AnnotationEditor(Workspace *workspace, ArticleView *view, QWidget *dialogParent);

    /// A type key: annotates the selection, or retypes the annotation at
    /// the cursor when nothing is selected.
    bool typeKey(const QString &type);
    /// Annotates the selection (snapped to words) as `type`, by hand. An
    /// annotation with exactly that span is retyped and accepted instead;
    /// suggestions it overlaps are replaced.
    bool annotateSelection(const QString &type);
    /// Every whole-word occurrence of the selected text, in this document
    /// or in all documents (searched in the background; the change comes
    /// with occurrencesAnnotated()).
    bool annotateAllOccurrences(const QString &type, bool allDocuments);

    bool retypeSelected(const QString &type);
    bool acceptSelected();
    bool rejectSelected();
    bool deleteSelected();
    /// Links the selected annotations to the entity `name` of their type,
    /// created if need be; asks for the name when `name` is empty.
    bool linkSelected(const QString &name = {});
    /// Renames the entity of the annotation at the cursor; asks when empty.
    bool renameCurrentEntity(const QString &name = {});

    /// Accepts or rejects every suggestion of the open document.
    bool reviewDocument(AnnotationStatus status);
    /// Accepts or rejects every suggestion of an entity, in every document.
    bool reviewEntity(std::int64_t entityId, AnnotationStatus status);

    /// After a review key, move on to the next suggestion (on by default).
    void setAdvanceAfterReview(bool advance) { m_advance = advance; }

    /// Adds the actions that fit the selection and the annotation at the
    /// cursor to a context menu.
    void populateMenu(QMenu *menu);

Q_SIGNALS:
    void message(const QString &text);
    /// A search for all occurrences finished; `count` were annotated.
    void occurrencesAnnotated(int count);

private:
    struct OccurrencePlan {
        std::vector<AnnotationChange> changes;
        int skipped = 0;
    };
    // Whether a selection of `document` can take type `type`; says why not.
    bool canAnnotate(std::int64_t document, const CodePointRange &range, const QString &type);
    bool review(std::vector<Annotation> targets, AnnotationStatus status, const QString &text, bool advance);
    void planOccurrences(const std::vector<Annotation> &existing, const std::vector<Occurrence> &occurrences,
                         const QString &type, const std::string &entityName, OccurrencePlan &plan) const;
    QString describe(const Annotation &a) const;
    QString describe(const std::vector<Annotation> &targets) const;
    QStringList entityNamesOfType(const std::string &type) const;

    Workspace *m_workspace;
    ArticleView *m_view;
    QWidget *m_dialogParent;
    bool m_advance = true;
};

} // namespace lede::ui
