#pragma once

#include "core/io/Importer.h"

#include <QDialog>
#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QStringList>

#include <atomic>
#include <memory>
#include <optional>
#include <string>

class QLabel;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTreeWidget;

namespace lede::ui {

class Workspace;

/// Imports files and folders off the UI thread, with the tagger on, and
/// shows how it goes: files done of all, the file being read, the rate,
/// and a Cancel that stops after the current file. Afterwards it lists
/// what came in and every file that failed with the reason.
///
/// The import runs core's importPaths on a connection of its own, opened
/// on the worker thread; the UI keeps working (WAL lets the article view
/// read and write meanwhile). The dialog is not modal.
class ImportDialog : public QDialog {
    Q_OBJECT

public:
    explicit ImportDialog(Workspace *workspace, QWidget *parent = nullptr);
    /// Cancels a running import and waits for the current file to finish.
    ~ImportDialog() override;

    /// Starts importing `paths` (files and folders). One import at a time.
    void start(const QStringList &paths, bool tag = true);
    void cancel();
    bool isRunning() const { return m_watcher.isRunning(); }

    /// Closing the dialog while it imports cancels the import; the summary
    /// then shows what came in.
    void reject() override;

    /// After importFinished: what happened, or why nothing could.
    const ImportReport &report() const { return m_report; }
    const std::optional<std::string> &error() const { return m_error; }

Q_SIGNALS:
    void importFinished();

private:
    struct Outcome {
        ImportReport report;
        std::optional<std::string> error;
        bool tagged = true;
    };
    void showProgress(const ImportProgress &progress);
    void finish();

    Workspace *m_workspace;
    QStackedWidget *m_pages;
    QLabel *m_headline;
    QProgressBar *m_bar;
    QLabel *m_current;
    QLabel *m_rate;
    QPushButton *m_cancel;
    QLabel *m_summary;
    QTreeWidget *m_failures;
    QPushButton *m_close;
    QFutureWatcher<void> m_watcher;
    std::shared_ptr<std::atomic<bool>> m_cancelFlag;
    std::shared_ptr<Outcome> m_outcome;
    ImportReport m_report;
    std::optional<std::string> m_error;
    QElapsedTimer m_sinceRefresh;
};

} // namespace lede::ui
