#include "ui/io/ExportDialog.h"

#include "core/store/Store.h"
#include "ui/io/FileDialogs.h"
#include "ui/base/QtText.h"
#include "ui/app/Workspace.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace lede::ui {

namespace {

struct FormatInfo {
    ExportFormat format;
    const char *label;
    const char *suffix; // empty: a folder
};

constexpr FormatInfo kFormats[] = {
    {ExportFormat::Json, QT_TRANSLATE_NOOP("lede::ui::ExportDialog", "Lede JSON (reads back into Lede)"), "json"},
    {ExportFormat::JsonLines, QT_TRANSLATE_NOOP("lede::ui::ExportDialog", "JSON Lines, one document per line"), "jsonl"},
    {ExportFormat::Csv, QT_TRANSLATE_NOOP("lede::ui::ExportDialog", "CSV, one annotation per row"), "csv"},
    {ExportFormat::Conll, QT_TRANSLATE_NOOP("lede::ui::ExportDialog", "CoNLL-2003 tokens with IOB2 tags"), "conll"},
    {ExportFormat::Brat, QT_TRANSLATE_NOOP("lede::ui::ExportDialog", "brat standoff (a folder)"), ""},
};

const FormatInfo &infoFor(ExportFormat format)
{
    for (const FormatInfo &f : kFormats)
        if (f.format == format)
            return f;
    return kFormats[0];
}

} // namespace

ExportDialog::ExportDialog(Workspace *workspace, Choices choices, QWidget *parent)
    : QDialog(parent)
    , m_workspace(workspace)
    , m_choices(std::move(choices))
    , m_format(new QComboBox(this))
    , m_scopes(new QButtonGroup(this))
    , m_suggested(new QCheckBox(tr("Suggested (not reviewed)"), this))
    , m_accepted(new QCheckBox(tr("Accepted and manual"), this))
    , m_rejected(new QCheckBox(tr("Rejected"), this))
    , m_destination(new QLineEdit(this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this))
    , m_buttons(new QDialogButtonBox(this))
{
    setWindowTitle(tr("Export"));
    setMinimumWidth(520);

    for (const FormatInfo &f : kFormats)
        m_format->addItem(tr(f.label), static_cast<int>(f.format));

    auto *scopeBox = new QVBoxLayout;
    const QLocale locale;
    auto addScope = [&](Scope scope, const QString &label, std::size_t count) {
        auto *button = new QRadioButton(label, this);
        button->setEnabled(count > 0);
        m_scopes->addButton(button, static_cast<int>(scope));
        scopeBox->addWidget(button);
    };
    addScope(Scope::Current, tr("The open document"), m_choices.current ? 1 : 0);
    addScope(Scope::Selected, tr("Selected documents (%1)").arg(locale.toString(static_cast<qulonglong>(m_choices.selected.size()))),
             m_choices.selected.size());
    addScope(Scope::Listed, tr("Documents in the list (%1)").arg(locale.toString(static_cast<qulonglong>(m_choices.listed.size()))),
             m_choices.listed.size());
    addScope(Scope::SearchResults,
             tr("Search results (%1)").arg(locale.toString(static_cast<qulonglong>(m_choices.searchResults.size()))),
             m_choices.searchResults.size());
    addScope(Scope::All, tr("All documents (%1)").arg(locale.toString(static_cast<qlonglong>(m_choices.total))),
             static_cast<std::size_t>(m_choices.total));
    setScope(m_choices.selected.size() > 1 ? Scope::Selected : m_choices.current ? Scope::Current : Scope::All);

    auto *statusBox = new QVBoxLayout;
    statusBox->addWidget(m_suggested);
    statusBox->addWidget(m_accepted);
    statusBox->addWidget(m_rejected);
    m_suggested->setChecked(true);
    m_accepted->setChecked(true);

    auto *browseButton = new QPushButton(tr("Browse…"), this);
    auto *destinationRow = new QHBoxLayout;
    destinationRow->addWidget(m_destination, 1);
    destinationRow->addWidget(browseButton);
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    m_destination->setText(QDir(documents.isEmpty() ? QDir::homePath() : documents).filePath(QStringLiteral("lede-export.json")));

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->addRow(tr("Format:"), m_format);
    form->addRow(tr("Documents:"), scopeBox);
    form->addRow(tr("Annotations:"), statusBox);
    form->addRow(tr("Save to:"), destinationRow);

    m_progress->setVisible(false);
    m_status->setWordWrap(true);
    m_export = m_buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    m_buttons->addButton(QDialogButtonBox::Close);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);

    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::updateDestinationSuffix);
    connect(browseButton, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_export, &QPushButton::clicked, this, &ExportDialog::startExport);
    connect(m_buttons, &QDialogButtonBox::rejected, this, [this] {
        if (isRunning())
            m_cancel->store(true);
        else
            reject();
    });
    connect(&m_watcher, &QFutureWatcher<void>::finished, this, &ExportDialog::finish);
}

ExportDialog::~ExportDialog()
{
    if (m_cancel)
        m_cancel->store(true);
    m_watcher.waitForFinished();
}

void ExportDialog::setFormat(ExportFormat format)
{
    const int i = m_format->findData(static_cast<int>(format));
    if (i >= 0)
        m_format->setCurrentIndex(i);
}

ExportFormat ExportDialog::format() const { return static_cast<ExportFormat>(m_format->currentData().toInt()); }

void ExportDialog::setScope(Scope scope)
{
    if (auto *button = m_scopes->button(static_cast<int>(scope)); button && button->isEnabled())
        button->setChecked(true);
}

ExportDialog::Scope ExportDialog::scope() const { return static_cast<Scope>(m_scopes->checkedId()); }

void ExportDialog::setStatuses(const std::set<AnnotationStatus> &statuses)
{
    m_suggested->setChecked(statuses.count(AnnotationStatus::Suggested));
    m_accepted->setChecked(statuses.count(AnnotationStatus::Accepted));
    m_rejected->setChecked(statuses.count(AnnotationStatus::Rejected));
}

void ExportDialog::setDestination(const QString &path) { m_destination->setText(path); }

QString ExportDialog::destination() const { return m_destination->text().trimmed(); }

std::vector<std::int64_t> ExportDialog::documentsFor(Scope scope) const
{
    switch (scope) {
    case Scope::Current:
        return m_choices.current ? std::vector<std::int64_t>{m_choices.current} : std::vector<std::int64_t>{};
    case Scope::Selected:
        return m_choices.selected;
    case Scope::Listed:
        return m_choices.listed;
    case Scope::SearchResults:
        return m_choices.searchResults;
    case Scope::All:
        return {};
    }
    return {};
}

void ExportDialog::updateDestinationSuffix()
{
    // Keep the name the analyst chose; only the ending follows the format.
    const FormatInfo &info = infoFor(format());
    QFileInfo file(destination());
    const QString stem = file.suffix().isEmpty() ? file.fileName() : file.completeBaseName();
    const QString name = *info.suffix ? stem + QLatin1Char('.') + QLatin1String(info.suffix) : stem;
    m_destination->setText(QDir(file.path()).filePath(name));
}

void ExportDialog::browse()
{
    const FormatInfo &info = infoFor(format());
    QString path;
    if (*info.suffix)
        path = fileDialogs::saveFile(this, tr("Export To"), destination(),
                                            tr("%1 (*.%2)").arg(tr(info.label), QLatin1String(info.suffix)));
    else
        path = fileDialogs::folder(this, tr("Export Into Folder"), QFileInfo(destination()).path());
    if (!path.isEmpty())
        m_destination->setText(path);
}

bool ExportDialog::startExport()
{
    if (isRunning() || !m_workspace->isOpen())
        return false;
    const QString destination = this->destination();
    if (destination.isEmpty()) {
        m_status->setText(tr("Choose where to save the export."));
        return false;
    }
    const Scope scope = this->scope();
    ExportOptions options;
    options.format = format();
    options.documentIds = documentsFor(scope);
    if (scope != Scope::All && options.documentIds.empty()) {
        m_status->setText(tr("There is no document to export."));
        return false;
    }
    options.statuses.clear();
    if (m_suggested->isChecked())
        options.statuses.insert(AnnotationStatus::Suggested);
    if (m_accepted->isChecked())
        options.statuses.insert(AnnotationStatus::Accepted);
    if (m_rejected->isChecked())
        options.statuses.insert(AnnotationStatus::Rejected);
    if (options.statuses.empty()) {
        m_status->setText(tr("Choose at least one kind of annotation."));
        return false;
    }

    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_outcome = std::make_shared<Outcome>();
    options.cancel = m_cancel.get();
    m_progress->setVisible(true);
    m_progress->setRange(0, 0);
    m_status->setText(tr("Exporting…"));
    m_export->setEnabled(false);

    const std::string store = toUtf8(m_workspace->path());
    const std::string path = toUtf8(destination);
    auto cancel = m_cancel;
    auto outcome = m_outcome;
    options.progress = [this](std::size_t done, std::size_t total) {
        QMetaObject::invokeMethod(
            this,
            [this, done, total] {
                m_progress->setRange(0, static_cast<int>(total));
                m_progress->setValue(static_cast<int>(done));
            },
            Qt::QueuedConnection);
    };
    m_watcher.setFuture(QtConcurrent::run([store, path, options, cancel, outcome] {
        Store::OpenOptions readOnly;
        readOnly.readOnly = true;
        auto opened = Store::open(store, readOnly);
        if (!opened) {
            outcome->error = opened.message();
            return;
        }
        auto report = exportToPath(**opened, options, path);
        if (report)
            outcome->report = std::move(*report);
        else
            outcome->error = report.message();
    }));
    return true;
}

void ExportDialog::finish()
{
    m_progress->setVisible(false);
    m_export->setEnabled(true);
    const bool ok = m_outcome->report.has_value();
    QString message;
    if (ok) {
        const ExportReport &r = *m_outcome->report;
        message = tr("Exported %n document(s)", nullptr, static_cast<int>(r.documents))
            + tr(" with %n annotation(s)", nullptr, static_cast<int>(r.annotations)) + tr(" to %1.").arg(destination());
    } else {
        message = tr("The export failed: %1").arg(toQString(m_outcome->error));
    }
    m_status->setText(message);
    Q_EMIT exportFinished(ok, message);
}

} // namespace lede::ui
