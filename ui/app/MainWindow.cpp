#include "ui/app/MainWindow.h"

#include "core/store/Store.h"
#include "ui/article/AnnotationEditor.h"
#include "ui/article/ArticlePane.h"
#include "ui/article/ArticleView.h"
#include "ui/documents/DocumentListModel.h"
#include "ui/documents/DocumentPanel.h"
#include "ui/entities/EntityPanel.h"
#include "ui/io/ExportDialog.h"
#include "ui/app/Learner.h"
#include "ui/io/FileDialogs.h"
#include "ui/io/ImportDialog.h"
#include "ui/dialogs/MessageBox.h"
#include "ui/base/QtText.h"
#include "ui/app/Samples.h"
#include "ui/search/SearchPanel.h"
#include "ui/article/TypeLegend.h"
#include "ui/dialogs/TypesDialog.h"
#include "ui/app/Workspace.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QDate>
#include <QMenuBar>
#include <QMimeData>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QInputDialog>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QTreeView>
#include <QUndoStack>

#include <filesystem>

namespace lede::ui {

namespace {

constexpr int kMaxRecentStores = 8;

const auto kGeometryKey = QStringLiteral("window/geometry");
const auto kStateKey = QStringLiteral("window/state");
const auto kSplitterKey = QStringLiteral("window/splitter");
const auto kRecentKey = QStringLiteral("store/recent");
const auto kLastKey = QStringLiteral("store/last");
const auto kShowRejectedKey = QStringLiteral("view/showRejected");
const auto kMinConfidenceKey = QStringLiteral("view/minConfidence");
const auto kFontSizeKey = QStringLiteral("view/articleFontSize");

} // namespace

MainWindow::MainWindow(Workspace *workspace, QWidget *parent)
    : QMainWindow(parent)
    , m_workspace(workspace)
    , m_tabs(new QTabWidget(this))
    , m_documents(new DocumentPanel(workspace, m_tabs))
    , m_search(new SearchPanel(workspace, m_tabs))
    , m_article(new ArticlePane(workspace, this))
    , m_entities(new EntityPanel(workspace, m_article, this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_searchField(new QLineEdit(this))
    , m_countsLabel(new QLabel(this))
    , m_pathLabel(new QLabel(this))
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/lede/lede-256.png")));
    setAcceptDrops(true);
    setUnifiedTitleAndToolBarOnMac(true);

    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_documents, tr("Documents"));
    m_tabs->addTab(m_search, tr("Search"));

    m_splitter->addWidget(m_tabs);
    m_splitter->addWidget(m_article);
    m_splitter->addWidget(m_entities);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setStretchFactor(2, 0);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setHandleWidth(1);
    setCentralWidget(m_splitter);

    m_searchField->setPlaceholderText(tr("Search all documents — e.g. ransomware type:ATTACK"));
    m_searchField->setClearButtonEnabled(true);
    m_searchField->setMinimumWidth(380);

    m_pathLabel->setForegroundRole(QPalette::PlaceholderText);
    m_pathLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addPermanentWidget(m_countsLabel);
    statusBar()->addPermanentWidget(m_pathLabel);
    statusBar()->setSizeGripEnabled(true);

    m_learner = new Learner(workspace, this);
    createMenus();

    connect(m_documents, &DocumentPanel::currentDocumentChanged, this, [this](qint64 id) {
        // A list that loses its current row (a filter hid it) leaves the
        // article open.
        if (id != 0 && id != m_article->requestedId())
            m_article->showDocument(id);
    });
    connect(m_documents, &DocumentPanel::documentActivated, this, [this] { m_article->view()->setFocus(); });
    connect(m_article, &ArticlePane::documentShown, this, [this](qint64 id) {
        if (id != 0 && id == m_pendingDocument) {
            m_article->view()->setSearchMatches(m_pendingMarks);
            if (!m_pendingMarks.empty())
                m_article->view()->selectRange(m_pendingMarks.front());
            m_pendingDocument = 0;
            m_pendingMarks.clear();
        }
    });
    connect(m_article, &ArticlePane::loadFailed, this,
            [this](const QString &message) { statusBar()->showMessage(tr("Could not open the document: %1").arg(message), 8000); });
    connect(m_article->editor(), &AnnotationEditor::message, this,
            [this](const QString &message) { statusBar()->showMessage(message, 6000); });
    connect(m_article->view(), &ArticleView::currentAnnotationChanged, this, &MainWindow::showCurrentAnnotationHint);
    connect(m_entities, &EntityPanel::documentsMentioningRequested, this, [this](qint64 entity, const QString &name) {
        m_tabs->setCurrentWidget(m_documents);
        m_documents->showDocumentsMentioning(entity, name);
    });
    connect(m_searchField, &QLineEdit::returnPressed, this, [this] { runSearch(m_searchField->text()); });
    connect(m_search, &SearchPanel::resultOpened, this, &MainWindow::openDocumentAt);
    connect(m_article->legend(), &TypeLegend::hiddenTypesChanged, this, [this](const QSet<QString> &hidden) {
        statusBar()->showMessage(hidden.isEmpty() ? tr("All types are shown.")
                                                  : tr("Hidden: %1").arg(QStringList(hidden.begin(), hidden.end()).join(QStringLiteral(", "))),
                                 4000);
    });

    connect(m_learner, &Learner::started, this, [this] { statusBar()->showMessage(tr("Learning from your reviews…"), 10000); });
    connect(m_learner, &Learner::finished, this, [this](const QString &summary) { statusBar()->showMessage(summary, 8000); });
    connect(m_learner, &Learner::failed, this, [this](const QString &message) { statusBar()->showMessage(message, 10000); });
    connect(workspace, &Workspace::countsChanged, this, &MainWindow::updateCounts);
    connect(workspace, &Workspace::storeOpened, this, [this] {
        updateTitle();
        updateCounts();
    });
    connect(workspace, &Workspace::errorOccurred, this, [this](const QString &message) {
        statusBar()->showMessage(message, 10000);
        MessageBox::warning(this, tr("Lede"), message);
    });
    connect(m_documents->model(), &DocumentListModel::errorOccurred, this,
            [this](const QString &message) { statusBar()->showMessage(message, 10000); });
    connect(m_documents->model(), &DocumentListModel::listReloaded, this, [this] {
        // Open the first document when nothing is open yet, so a started
        // application shows an article rather than an empty page.
        if (m_article->requestedId() == 0 && m_documents->model()->rowCount() > 0 && m_documents->currentDocument() == 0)
            m_documents->selectDocument(m_documents->model()->documentId(0));
    });

    restoreLayout();
    updateTitle();
}

MainWindow::~MainWindow() = default;

void MainWindow::createMenus()
{
    AnnotationEditor *editor = m_article->editor();
    ArticleView *view = m_article->view();

    // File ----------------------------------------------------------------
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New Store…"), QKeySequence::New, this, &MainWindow::newStore);
    file->addAction(tr("&Open Store…"), QKeySequence::Open, this, &MainWindow::chooseStore);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    file->addSeparator();
    QAction *importFiles = file->addAction(tr("&Import Files…"), QKeySequence(Qt::CTRL | Qt::Key_I), this,
                                           &MainWindow::chooseImportFiles);
    file->addAction(tr("Import &Folder…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I), this, &MainWindow::chooseImportFolder);
    QAction *exportAction = file->addAction(tr("&Export…"), QKeySequence(Qt::CTRL | Qt::Key_E), this,
                                            [this] { showExportDialog(); });
    file->addSeparator();
    file->addAction(tr("&Back Up Store…"), this, &MainWindow::chooseBackup);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    // Edit ----------------------------------------------------------------
    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *undo = m_workspace->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = m_workspace->undoStack()->createRedoAction(this, tr("&Redo"));
    QList<QKeySequence> redoKeys = QKeySequence::keyBindings(QKeySequence::Redo);
    if (!redoKeys.contains(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)))
        redoKeys.append(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z));
    redo->setShortcuts(redoKeys);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    // The article handles Ctrl+C itself; a window-wide shortcut would take
    // the key from the lists and fields too.
    edit->addAction(tr("&Copy from Article\t%1").arg(QKeySequence(QKeySequence::Copy).toString(QKeySequence::NativeText)), view,
                    &QPlainTextEdit::copy);
    edit->addSeparator();
    edit->addAction(tr("&Search All Documents"), QKeySequence::Find, this, [this] {
        m_searchField->setFocus();
        m_searchField->selectAll();
    });
    edit->addAction(tr("&Filter Document List"), QKeySequence(Qt::CTRL | Qt::Key_L), this, [this] {
        m_tabs->setCurrentWidget(m_documents);
        m_documents->filterEdit()->setFocus();
        m_documents->filterEdit()->selectAll();
    });
    edit->addSeparator();
    edit->addAction(tr("Entity &Types…"), this, [this] {
        TypesDialog dialog(m_workspace, this);
        dialog.exec();
    });

    // Annotate ------------------------------------------------------------
    QMenu *annotate = menuBar()->addMenu(tr("&Annotate"));
    QMenu *asType = annotate->addMenu(tr("Annotate Selection &As"));
    connect(asType, &QMenu::aboutToShow, this, [this, asType] { fillTypeMenu(asType, true); });
    annotate->addAction(tr("A&ccept\tReturn"), editor, &AnnotationEditor::acceptSelected);
    annotate->addAction(tr("&Reject\tBackspace"), editor, &AnnotationEditor::rejectSelected);
    annotate->addAction(tr("&Delete\tDel"), editor, &AnnotationEditor::deleteSelected);
    QMenu *retype = annotate->addMenu(tr("Change &Type"));
    connect(retype, &QMenu::aboutToShow, this, [this, retype] { fillTypeMenu(retype, false); });
    annotate->addAction(tr("&Link to Entity…"), QKeySequence(Qt::CTRL | Qt::Key_K), editor, [editor] { editor->linkSelected(); });
    annotate->addAction(tr("Re&name Entity…"), QKeySequence(Qt::Key_F2), editor, [editor] { editor->renameCurrentEntity(); });
    annotate->addSeparator();
    QMenu *occurrences = annotate->addMenu(tr("Annotate All &Occurrences as"));
    QMenu *everywhere = annotate->addMenu(tr("Annotate All Occurrences in &Every Document as"));
    connect(occurrences, &QMenu::aboutToShow, this, [this, occurrences, editor] {
        occurrences->clear();
        for (const EntityType &t : m_workspace->types()) {
            const QString name = toQString(t.name);
            occurrences->addAction(name, editor, [editor, name] { editor->annotateAllOccurrences(name, false); });
        }
    });
    connect(everywhere, &QMenu::aboutToShow, this, [this, everywhere, editor] {
        everywhere->clear();
        for (const EntityType &t : m_workspace->types()) {
            const QString name = toQString(t.name);
            everywhere->addAction(name, editor, [editor, name] { editor->annotateAllOccurrences(name, true); });
        }
    });
    annotate->addSeparator();
    annotate->addAction(tr("Accept All Suggestions in Document"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return), editor,
                        [editor] { editor->reviewDocument(AnnotationStatus::Accepted); });
    annotate->addAction(tr("Reject All Suggestions in Document"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Backspace), editor,
                        [editor] { editor->reviewDocument(AnnotationStatus::Rejected); });
    annotate->addSeparator();
    annotate->addAction(tr("&Next Annotation\tTab"), view, [view] { view->selectNextAnnotation(true); });
    annotate->addAction(tr("&Previous Annotation\tShift+Tab"), view, [view] { view->selectNextAnnotation(false); });
    annotate->addAction(tr("Next &Suggestion\tF8"), view, [view] { view->selectNextAnnotation(true, true); });
    annotate->addAction(tr("Previous S&uggestion\tShift+F8"), view, [view] { view->selectNextAnnotation(false, true); });
    // A shortcut of the window, so that it works wherever the focus is.
    QAction *leastConfident = annotate->addAction(tr("Least &Confident Suggestion"), view, [this, view] {
        view->setFocus();
        if (!view->selectLeastConfident())
            statusBar()->showMessage(tr("No suggestion left to review in this article."), 4000);
    });
    leastConfident->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F8));
    annotate->addSeparator();
    annotate->addAction(tr("Learn from Reviews No&w"), this, [this] { m_learner->learnNow(); });
    annotate->addAction(tr("Learn Auto&matically…"), this, [this] {
        bool ok = false;
        const int n = QInputDialog::getInt(this, tr("Learn Automatically"),
                                           tr("Teach the tagger after every so many reviews (0 only when asked):"),
                                           Learner::reviewsPerUpdate(), 0, 100000, 5, &ok);
        if (ok)
            Learner::setReviewsPerUpdate(n);
    });

    // View ----------------------------------------------------------------
    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    m_showRejected = viewMenu->addAction(tr("Show &Rejected Annotations"));
    m_showRejected->setCheckable(true);
    connect(m_showRejected, &QAction::toggled, view, &ArticleView::setShowRejected);
    viewMenu->addAction(tr("Hide &Weak Suggestions…"), this, [this, view] {
        bool ok = false;
        const double c = QInputDialog::getDouble(this, tr("Hide Weak Suggestions"),
                                                 tr("Hide suggestions the tagger is less sure of than (0 shows all):"),
                                                 view->minConfidence(), 0.0, 1.0, 2, &ok);
        if (ok)
            view->setMinConfidence(c);
    });
    viewMenu->addAction(tr("Show All &Types"), this, [this] { m_article->legend()->setHiddenTypes({}); });
    // Another program (lede-cli, a second window) may have changed the
    // store; read everything shown again.
    viewMenu->addAction(tr("Re&load from Store"), QKeySequence::Refresh, this, [this] {
        if (!m_workspace->isOpen())
            return;
        m_workspace->reloadTypes();
        m_workspace->notifyDocumentsChanged();
        m_workspace->notifyAnnotationsChanged({});
    });
    viewMenu->addSeparator();
    viewMenu->addAction(tr("Zoom &In"), QKeySequence::ZoomIn, view, [view] { view->zoom(1); });
    viewMenu->addAction(tr("Zoom &Out"), QKeySequence::ZoomOut, view, [view] { view->zoom(-1); });
    viewMenu->addSeparator();
    viewMenu->addAction(tr("&Documents"), QKeySequence(Qt::ALT | Qt::Key_1), this, [this] {
        m_tabs->setCurrentWidget(m_documents);
        m_documents->table()->setFocus();
    });
    viewMenu->addAction(tr("&Article"), QKeySequence(Qt::ALT | Qt::Key_2), view, [view] { view->setFocus(); });
    viewMenu->addAction(tr("&Entities"), QKeySequence(Qt::ALT | Qt::Key_3), this, [this] { m_entities->tree()->setFocus(); });
    viewMenu->addAction(tr("Search &Results"), QKeySequence(Qt::ALT | Qt::Key_4), this, [this] {
        m_tabs->setCurrentWidget(m_search);
        m_search->setFocus();
    });
    viewMenu->addSeparator();
    viewMenu->addAction(tr("Entities of This &Article"), this, [this] { m_entities->setScope(EntityPanel::Scope::Document); });
    viewMenu->addAction(tr("Entities of All Do&cuments"), this, [this] { m_entities->setScope(EntityPanel::Scope::Corpus); });

    // Help ----------------------------------------------------------------
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard Shortcuts"), QKeySequence::HelpContents, this, &MainWindow::showShortcuts);
    help->addAction(tr("&About Lede"), this, [this] {
        MessageBox::information(this, tr("About Lede"),
                                tr("<h3>Lede %1</h3><p>Read articles with their people, companies, nations and "
                                   "cyberattacks marked, correct the annotations, search and export.</p>"
                                   "<p>Every change is saved in the store at once.</p>")
                                    .arg(QStringLiteral(LEDE_VERSION)));
    });

    // Toolbar ---------------------------------------------------------------
    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("MainToolBar"));
    bar->setMovable(false);
    bar->setFloatable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    importFiles->setIconText(tr("Import…"));
    exportAction->setIconText(tr("Export…"));
    bar->addAction(importFiles);
    bar->addAction(exportAction);
    bar->addSeparator();
    undo->setIconText(tr("Undo"));
    redo->setIconText(tr("Redo"));
    bar->addAction(undo);
    bar->addAction(redo);
    auto *spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    bar->addWidget(m_searchField);
}

void MainWindow::fillTypeMenu(QMenu *menu, bool forSelection)
{
    menu->clear();
    AnnotationEditor *editor = m_article->editor();
    for (const EntityType &t : m_workspace->types()) {
        const QString name = toQString(t.name);
        const QString label = t.shortcut.empty() ? name : QStringLiteral("%1\t%2").arg(name, toQString(t.shortcut));
        if (forSelection)
            menu->addAction(label, editor, [editor, name] { editor->annotateSelection(name); });
        else
            menu->addAction(label, editor, [editor, name] { editor->retypeSelected(name); });
    }
}

QStringList MainWindow::recentStores() { return QSettings().value(kRecentKey).toStringList(); }

void MainWindow::fillRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = recentStores();
    for (const QString &path : recent) {
        QAction *a = m_recentMenu->addAction(QFileInfo(path).fileName() + QStringLiteral("  —  ") + QDir::toNativeSeparators(path),
                                             this, [this, path] { openStore(path); });
        a->setEnabled(QFileInfo::exists(path));
    }
    if (recent.isEmpty())
        m_recentMenu->addAction(tr("No recent stores"))->setEnabled(false);
}

void MainWindow::rememberStore(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QSettings settings;
    QStringList recent = settings.value(kRecentKey).toStringList();
    recent.removeAll(absolute);
    recent.prepend(absolute);
    while (recent.size() > kMaxRecentStores)
        recent.removeLast();
    settings.setValue(kRecentKey, recent);
    settings.setValue(kLastKey, absolute);
}

bool MainWindow::openStore(const QString &path)
{
    if (auto st = m_workspace->open(path); !st) {
        MessageBox::warning(this, tr("Open Store"), tr("Could not open the store:\n%1").arg(toQString(st.message())));
        return false;
    }
    if (path != QStringLiteral(":memory:"))
        rememberStore(path);
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path)), 4000);
    return true;
}

void MainWindow::newStore()
{
    const QString path = fileDialogs::saveFile(this, tr("New Store"), QDir::homePath() + QStringLiteral("/annotations.sqlite"),
                                                      tr("Lede stores (*.sqlite *.db);;All files (*)"));
    if (path.isEmpty())
        return;
    if (QFileInfo::exists(path)) {
        MessageBox::warning(this, tr("New Store"), tr("%1 exists already; open it with File → Open Store.").arg(path));
        return;
    }
    openStore(path);
}

void MainWindow::chooseStore()
{
    const QString path = fileDialogs::openFile(this, tr("Open Store"), QFileInfo(m_workspace->path()).path(),
                                                      tr("Lede stores (*.sqlite *.db);;All files (*)"));
    if (!path.isEmpty())
        openStore(path);
}

void MainWindow::chooseImportFiles()
{
    const QStringList files = fileDialogs::openFiles(this, tr("Import Files"), QDir::homePath(),
                                                            tr("Articles (*.txt *.md *.html *.htm *.json *.jsonl);;All files (*)"));
    if (!files.isEmpty())
        importPaths(files);
}

void MainWindow::chooseImportFolder()
{
    const QString folder = fileDialogs::folder(this, tr("Import Folder"), QDir::homePath());
    if (!folder.isEmpty())
        importPaths({folder});
}

void MainWindow::chooseBackup()
{
    if (!m_workspace->isOpen())
        return;
    // Beside the store, named for it and the day: lede.sqlite ->
    // lede-backup-2026-12-02.sqlite. The dialog asks before replacing.
    const QFileInfo store(m_workspace->path());
    const QString name = QStringLiteral("%1-backup-%2.%3")
                             .arg(store.completeBaseName(), QDate::currentDate().toString(Qt::ISODate),
                                  store.suffix().isEmpty() ? QStringLiteral("sqlite") : store.suffix());
    const QString path = fileDialogs::saveFile(this, tr("Back Up Store"), store.dir().filePath(name),
                                               tr("Lede stores (*.sqlite *.db);;All files (*)"));
    if (!path.isEmpty())
        backUpStoreTo(path);
}

void MainWindow::backUpStoreTo(const QString &path)
{
    statusBar()->showMessage(tr("Backing up the store to %1…").arg(QDir::toNativeSeparators(path)));
    const std::string target = toUtf8(path);
    m_workspace->read<std::uint64_t>(
        this,
        [target](Store &store) -> Result<std::uint64_t> {
            LEDE_TRY(store.backup(target, true));
            std::error_code ec;
            const auto size = std::filesystem::file_size(target, ec);
            return ec ? 0 : static_cast<std::uint64_t>(size);
        },
        [this, path](Result<std::uint64_t> done) {
            if (!done) {
                const QString message = toQString(done.message());
                statusBar()->showMessage(tr("The backup failed."), 5000);
                MessageBox::warning(this, tr("Back Up Store"), message);
                Q_EMIT backupFinished(false, message);
                return;
            }
            const QString message = tr("Backed up the store to %1 (%2).")
                                        .arg(QDir::toNativeSeparators(path),
                                             QLocale().formattedDataSize(static_cast<qint64>(*done)));
            statusBar()->showMessage(message, 8000);
            Q_EMIT backupFinished(true, message);
        });
}

ImportDialog *MainWindow::importPaths(const QStringList &paths)
{
    if (m_import && m_import->isRunning()) {
        statusBar()->showMessage(tr("An import is running already."), 5000);
        m_import->raise();
        return nullptr;
    }
    if (!m_import)
        m_import = new ImportDialog(m_workspace, this);
    m_import->start(paths);
    return m_import;
}

void MainWindow::offerSamplesIfEmpty()
{
    if (!m_workspace->isOpen() || m_workspace->counts().documents > 0)
        return;
    auto ids = m_workspace->store().documentIds();
    if (!ids || !ids->empty())
        return;
    const QString samples = bundledSamplesDir();
    if (samples.isEmpty())
        return;
    const auto answer = MessageBox::question(this, tr("Welcome to Lede"),
                                             tr("This store has no articles yet. Import the sample articles that come with Lede "
                                                "to try it out?\n\nYou can import your own any time with File → Import, or by "
                                                "dropping files on the window."));
    if (answer == QMessageBox::Yes)
        importPaths({samples});
}

ExportDialog *MainWindow::showExportDialog()
{
    if (!m_workspace->isOpen())
        return nullptr;
    ExportDialog::Choices choices;
    choices.current = m_article->documentId();
    choices.selected = m_documents->selectedDocuments();
    choices.listed = m_documents->model()->ids();
    choices.searchResults = m_search->resultDocuments();
    choices.total = m_workspace->counts().documents;
    if (choices.total == 0)
        choices.total = static_cast<std::int64_t>(choices.listed.size());
    auto *dialog = new ExportDialog(m_workspace, std::move(choices), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ExportDialog::exportFinished, this,
            [this](bool, const QString &message) { statusBar()->showMessage(message, 8000); });
    dialog->show();
    return dialog;
}

void MainWindow::runSearch(const QString &query)
{
    m_searchField->setText(query);
    m_tabs->setCurrentWidget(m_search);
    m_search->search(query);
}

void MainWindow::openDocumentAt(std::int64_t documentId, const std::vector<CodePointRange> &marks)
{
    m_pendingDocument = documentId;
    m_pendingMarks = marks;
    if (m_article->documentId() == documentId) {
        // Already open: mark at once.
        m_article->view()->setSearchMatches(marks);
        if (!marks.empty())
            m_article->view()->selectRange(marks.front());
        m_pendingDocument = 0;
        m_pendingMarks.clear();
        return;
    }
    if (m_documents->model()->rowOf(documentId) >= 0)
        m_documents->selectDocument(documentId);
    else
        m_article->showDocument(documentId);
}

void MainWindow::updateTitle()
{
    const QString path = m_workspace->path();
    setWindowTitle(path.isEmpty() ? tr("Lede") : tr("%1 — Lede").arg(QFileInfo(path).fileName()));
    m_pathLabel->setText(QDir::toNativeSeparators(path));
    m_pathLabel->setToolTip(tr("The store: every change is saved here at once"));
}

void MainWindow::updateCounts()
{
    const StoreCounts &c = m_workspace->counts();
    const QLocale locale;
    m_countsLabel->setText(tr("%1 documents  ·  %2 annotations  ·  %3 to review")
                               .arg(locale.toString(static_cast<qlonglong>(c.documents)),
                                    locale.toString(static_cast<qlonglong>(c.annotations)),
                                    locale.toString(static_cast<qlonglong>(c.suggestions))));
}

void MainWindow::showCurrentAnnotationHint()
{
    const auto current = m_article->view()->currentAnnotation();
    if (!current) {
        statusBar()->clearMessage();
        return;
    }
    const QString what = QStringLiteral("%1 · %2").arg(toQString(current->type), toQString(current->entityName));
    QString keys;
    switch (current->status) {
    case AnnotationStatus::Suggested:
        keys = tr("suggestion — Return accepts, Backspace rejects, a type key retypes, Del deletes");
        break;
    case AnnotationStatus::Accepted:
        keys = tr("accepted — a type key retypes, Backspace rejects, Del deletes");
        break;
    case AnnotationStatus::Rejected:
        keys = tr("rejected — Return accepts it after all");
        break;
    }
    statusBar()->showMessage(what + QStringLiteral("  —  ") + keys);
}

void MainWindow::showShortcuts()
{
    QString types;
    for (const EntityType &t : m_workspace->types())
        if (!t.shortcut.empty())
            types += QStringLiteral("<tr><td><b>%1</b></td><td>annotate the selection as %2</td></tr>")
                         .arg(toQString(t.shortcut).toHtmlEscaped(), toQString(t.name));
    MessageBox::information(
        this, tr("Keyboard Shortcuts"),
        tr("<table cellspacing='4'>"
           "<tr><td colspan='2'><b>In the article</b></td></tr>"
           "<tr><td>Ctrl+Shift+→ / ←</td><td>extend the selection by words</td></tr>"
           "%1"
           "<tr><td><b>Tab</b> / Shift+Tab</td><td>next / previous annotation</td></tr>"
           "<tr><td><b>F8</b> / Shift+F8</td><td>next / previous suggestion</td></tr>"
           "<tr><td>Ctrl+F8</td><td>the suggestion the tagger is least sure of</td></tr>"
           "<tr><td><b>Return</b></td><td>accept (then go to the next suggestion)</td></tr>"
           "<tr><td><b>Backspace</b></td><td>reject</td></tr>"
           "<tr><td><b>Del</b></td><td>delete the annotation</td></tr>"
           "<tr><td><b>F2</b></td><td>rename the entity</td></tr>"
           "<tr><td>Ctrl+K</td><td>link to another entity</td></tr>"
           "<tr><td>Ctrl+Z / Ctrl+Shift+Z</td><td>undo / redo</td></tr>"
           "<tr><td colspan='2'><b>Anywhere</b></td></tr>"
           "<tr><td>Ctrl+F</td><td>search all documents</td></tr>"
           "<tr><td>Ctrl+L</td><td>filter the document list</td></tr>"
           "<tr><td>Alt+1 … Alt+4</td><td>documents, article, entities, search results</td></tr>"
           "<tr><td>Ctrl+I / Ctrl+E</td><td>import / export</td></tr>"
           "</table>")
            .arg(types));
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(kGeometryKey).toByteArray())) {
        const QRect screen = QApplication::primaryScreen() ? QApplication::primaryScreen()->availableGeometry() : QRect(0, 0, 1600, 1000);
        resize(std::min(1560, screen.width() - 40), std::min(960, screen.height() - 40));
    }
    restoreState(settings.value(kStateKey).toByteArray());
    if (!m_splitter->restoreState(settings.value(kSplitterKey).toByteArray())) {
        const int w = width();
        m_splitter->setSizes({std::max(380, w * 34 / 100), w * 48 / 100, std::max(260, w * 18 / 100)});
    }
    m_showRejected->setChecked(settings.value(kShowRejectedKey, false).toBool());
    m_article->view()->setMinConfidence(settings.value(kMinConfidenceKey, 0.0).toDouble());
    const double size = settings.value(kFontSizeKey, 0.0).toDouble();
    if (size >= 8 && size <= 32) {
        QFont f = m_article->view()->font();
        f.setPointSizeF(size);
        m_article->view()->setFont(f);
    }
}

void MainWindow::saveLayout()
{
    QSettings settings;
    settings.setValue(kGeometryKey, saveGeometry());
    settings.setValue(kStateKey, saveState());
    settings.setValue(kSplitterKey, m_splitter->saveState());
    settings.setValue(kShowRejectedKey, m_showRejected->isChecked());
    settings.setValue(kMinConfidenceKey, m_article->view()->minConfidence());
    settings.setValue(kFontSizeKey, m_article->view()->font().pointSizeF());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!event->mimeData()->hasUrls())
        return;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile()) {
            event->acceptProposedAction();
            return;
        }
    }
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList paths;
    for (const QUrl &url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    importPaths(paths);
}

} // namespace lede::ui
