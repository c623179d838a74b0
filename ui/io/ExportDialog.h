#pragma once

#include "core/io/Exporter.h"

#include <QDialog>
#include <QFutureWatcher>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;

namespace lede::ui {

class Workspace;

/// Writes documents and their annotations with core's exporter: the
/// format, which documents (the open one, those selected or listed, the
/// search results, or all), which statuses, and where. The export runs on
/// its own connection off the UI thread and can be cancelled; the files are
/// written atomically, so a cancelled export leaves no half file.
class ExportDialog : public QDialog {
    Q_OBJECT

public:
    enum class Scope { Current, Selected, Listed, SearchResults, All };

    /// The documents each scope stands for; empty ones are offered disabled.
    struct Choices {
        std::int64_t current = 0;
        std::vector<std::int64_t> selected;
        std::vector<std::int64_t> listed;
        std::vector<std::int64_t> searchResults;
        std::int64_t total = 0;
    };

    ExportDialog(Workspace *workspace, Choices choices, QWidget *parent = nullptr);
    ~ExportDialog() override;

    // Test hooks and presets.
    void setFormat(ExportFormat format);
    ExportFormat format() const;
    void setScope(Scope scope);
    Scope scope() const;
    void setStatuses(const std::set<AnnotationStatus> &statuses);
    void setDestination(const QString &path);
    QString destination() const;

    /// Starts the export with the current choices; exportFinished follows.
    /// False when a choice is missing (no destination, no document).
    bool startExport();
    bool isRunning() const { return m_watcher.isRunning(); }

Q_SIGNALS:
    void exportFinished(bool ok, const QString &message);

private:
    std::vector<std::int64_t> documentsFor(Scope scope) const;
    void updateDestinationSuffix();
    void browse();
    void finish();

    Workspace *m_workspace;
    Choices m_choices;
    QComboBox *m_format;
    QButtonGroup *m_scopes;
    QCheckBox *m_suggested;
    QCheckBox *m_accepted;
    QCheckBox *m_rejected;
    QLineEdit *m_destination;
    QProgressBar *m_progress;
    QLabel *m_status;
    QDialogButtonBox *m_buttons;
    QPushButton *m_export;
    QFutureWatcher<void> m_watcher;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    struct Outcome {
        std::optional<ExportReport> report;
        std::string error;
    };
    std::shared_ptr<Outcome> m_outcome;
};

} // namespace lede::ui
