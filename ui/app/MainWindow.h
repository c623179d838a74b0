#pragma once

#include "ui/article/ArticleView.h"

#include <QMainWindow>
#include <QPointer>
#include <QStringList>

#include <vector>

class QAction;
class QLabel;
class QLineEdit;
class QMenu;
class QSplitter;
class QTabWidget;

namespace lede::ui {

class ArticlePane;
class DocumentPanel;
class EntityPanel;
class Learner;
class ExportDialog;
class ImportDialog;
class SearchPanel;
class Workspace;

/// Lede's main window: documents (and search results) on the left, the
/// article in the middle, its entities on the right; menus for stores,
/// import and export, annotation and view; a status bar with the store and
/// its counts. Window layout, the last store and recent stores are kept in
/// QSettings.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(Workspace *workspace, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Opens a store, reporting failure in a message box; remembers it.
    bool openStore(const QString &path);
    /// Imports files and folders through the import dialog.
    ImportDialog *importPaths(const QStringList &paths);
    /// On an empty store, offers to import the bundled sample articles.
    void offerSamplesIfEmpty();
    /// Opens the export dialog, preset to what is selected.
    ExportDialog *showExportDialog();
    /// Writes a backup of the open store to `path` in the background (see
    /// Store::backup); says how it went in the status bar, or in a message
    /// box when it failed, and emits backupFinished.
    void backUpStoreTo(const QString &path);
    /// Runs a search as if typed in the search field.
    void runSearch(const QString &query);
    /// Opens a document and shows (and marks) code-point ranges in it.
    void openDocumentAt(std::int64_t documentId, const std::vector<CodePointRange> &marks);

    DocumentPanel *documents() const { return m_documents; }
    ArticlePane *article() const { return m_article; }
    EntityPanel *entities() const { return m_entities; }
    SearchPanel *search() const { return m_search; }
    QLineEdit *searchField() const { return m_searchField; }
    QTabWidget *sideTabs() const { return m_tabs; }

    static QStringList recentStores();

Q_SIGNALS:
    void backupFinished(bool ok, const QString &message);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createMenus();
    void fillTypeMenu(QMenu *menu, bool forSelection);
    void fillRecentMenu();
    void restoreLayout();
    void saveLayout();
    void rememberStore(const QString &path);
    void updateTitle();
    void updateCounts();
    void showCurrentAnnotationHint();
    void showShortcuts();
    void newStore();
    void chooseStore();
    void chooseImportFiles();
    void chooseImportFolder();
    void chooseBackup();

    Workspace *m_workspace;
    QTabWidget *m_tabs;
    DocumentPanel *m_documents;
    SearchPanel *m_search;
    ArticlePane *m_article;
    EntityPanel *m_entities;
    QSplitter *m_splitter;
    QLineEdit *m_searchField;
    QLabel *m_countsLabel;
    QLabel *m_pathLabel;
    QMenu *m_recentMenu = nullptr;
    QAction *m_showRejected = nullptr;
    Learner *m_learner = nullptr;
    QPointer<ImportDialog> m_import;
    std::int64_t m_pendingDocument = 0;
    std::vector<CodePointRange> m_pendingMarks;
};

} // namespace lede::ui
