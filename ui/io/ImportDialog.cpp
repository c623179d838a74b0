#include "ui/io/ImportDialog.h"

#include "core/store/Store.h"
#include "core/nlp/Tagging.h"
#include "ui/base/QtText.h"
#include "ui/app/Workspace.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <chrono>
#include <limits>

namespace lede::ui {

namespace {

int clampToInt(std::size_t n) { return static_cast<int>(std::min<std::size_t>(n, std::numeric_limits<int>::max())); }

} // namespace

ImportDialog::ImportDialog(Workspace *workspace, QWidget *parent)
    : QDialog(parent)
    , m_workspace(workspace)
    , m_pages(new QStackedWidget(this))
    , m_headline(new QLabel(this))
    , m_bar(new QProgressBar(this))
    , m_current(new QLabel(this))
    , m_rate(new QLabel(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_summary(new QLabel(this))
    , m_failures(new QTreeWidget(this))
    , m_close(new QPushButton(tr("Close"), this))
{
    setWindowTitle(tr("Import"));
    setMinimumWidth(560);

    QFont headlineFont = m_headline->font();
    headlineFont.setWeight(QFont::DemiBold);
    m_headline->setFont(headlineFont);
    m_current->setForegroundRole(QPalette::PlaceholderText);
    m_current->setTextFormat(Qt::PlainText);
    m_current->setMinimumWidth(480);
    m_rate->setForegroundRole(QPalette::PlaceholderText);

    auto *progressPage = new QWidget(m_pages);
    auto *progressLayout = new QVBoxLayout(progressPage);
    progressLayout->addWidget(m_headline);
    progressLayout->addWidget(m_bar);
    progressLayout->addWidget(m_current);
    progressLayout->addWidget(m_rate);
    progressLayout->addStretch(1);
    auto *progressButtons = new QDialogButtonBox(progressPage);
    progressButtons->addButton(m_cancel, QDialogButtonBox::RejectRole);
    progressLayout->addWidget(progressButtons);

    auto *summaryPage = new QWidget(m_pages);
    auto *summaryLayout = new QVBoxLayout(summaryPage);
    m_summary->setWordWrap(true);
    m_summary->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_failures->setColumnCount(2);
    m_failures->setHeaderLabels({tr("File"), tr("Why it failed")});
    m_failures->setRootIsDecorated(false);
    m_failures->setUniformRowHeights(true);
    m_failures->header()->setStretchLastSection(true);
    m_failures->setMinimumHeight(160);
    summaryLayout->addWidget(m_summary);
    summaryLayout->addWidget(m_failures, 1);
    auto *summaryButtons = new QDialogButtonBox(summaryPage);
    summaryButtons->addButton(m_close, QDialogButtonBox::AcceptRole);
    summaryLayout->addWidget(summaryButtons);

    m_pages->addWidget(progressPage);
    m_pages->addWidget(summaryPage);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);

    connect(m_cancel, &QPushButton::clicked, this, &ImportDialog::cancel);
    connect(m_close, &QPushButton::clicked, this, &QDialog::accept);
    connect(&m_watcher, &QFutureWatcher<void>::finished, this, &ImportDialog::finish);
}

ImportDialog::~ImportDialog()
{
    // The worker posts progress to this object; it must be done before the
    // object goes. Cancelling makes that the end of the current file.
    if (m_cancelFlag)
        m_cancelFlag->store(true);
    m_watcher.waitForFinished();
}

void ImportDialog::start(const QStringList &paths, bool tag)
{
    if (isRunning() || !m_workspace->isOpen())
        return;
    m_pages->setCurrentIndex(0);
    m_headline->setText(tr("Reading the files…"));
    m_bar->setRange(0, 0);
    m_current->clear();
    m_rate->clear();
    m_cancel->setEnabled(true);
    m_report = {};
    m_error.reset();
    m_failures->clear();
    m_sinceRefresh.start();

    std::vector<std::string> files;
    for (const QString &p : paths)
        files.push_back(toUtf8(p));
    const std::string store = toUtf8(m_workspace->path());
    m_cancelFlag = std::make_shared<std::atomic<bool>>(false);
    m_outcome = std::make_shared<Outcome>();
    auto cancelFlag = m_cancelFlag;
    auto outcome = m_outcome;

    m_watcher.setFuture(QtConcurrent::run([this, files, store, tag, cancelFlag, outcome] {
        // One connection per thread: the import writes through its own.
        auto opened = Store::open(store);
        if (!opened) {
            outcome->error = opened.message();
            return;
        }
        ImportOptions options;
        if (tag) {
            auto factory = annotatorFactory(**opened);
            if (factory)
                options.makeAnnotator = *factory;
            else
                outcome->tagged = false;
        }
        // Progress comes after every file; the dialog is told at most ten
        // times a second, and always about the last file.
        auto last = std::chrono::steady_clock::now() - std::chrono::seconds(1);
        auto progress = [this, &last](const ImportProgress &p) {
            const auto now = std::chrono::steady_clock::now();
            if (now - last < std::chrono::milliseconds(100) && p.done < p.total)
                return;
            last = now;
            QMetaObject::invokeMethod(this, [this, p] { showProgress(p); }, Qt::QueuedConnection);
        };
        outcome->report = importPaths(**opened, files, options, progress, cancelFlag.get());
    }));
    show();
    raise();
}

void ImportDialog::reject()
{
    if (isRunning()) {
        cancel();
        return;
    }
    QDialog::reject();
}

void ImportDialog::cancel()
{
    if (!isRunning()) {
        reject();
        return;
    }
    m_cancelFlag->store(true);
    m_cancel->setEnabled(false);
    m_headline->setText(tr("Stopping after the current file…"));
}

void ImportDialog::showProgress(const ImportProgress &p)
{
    if (!isRunning())
        return;
    const QLocale locale;
    if (!m_cancelFlag->load())
        m_headline->setText(tr("Importing file %1 of %2").arg(locale.toString(static_cast<qulonglong>(p.done)),
                                                             locale.toString(static_cast<qulonglong>(p.total))));
    m_bar->setRange(0, clampToInt(p.total));
    m_bar->setValue(clampToInt(p.done));
    const QString current = toQString(p.currentFile);
    m_current->setText(m_current->fontMetrics().elidedText(current, Qt::ElideMiddle, m_current->width()));
    m_current->setToolTip(current);
    const double seconds = std::max(p.seconds, 0.001);
    m_rate->setText(tr("%1 files/s · %2/s  —  imported %3, duplicates %4, failed %5")
                        .arg(locale.toString(static_cast<double>(p.done) / seconds, 'f', 1),
                             locale.formattedDataSize(static_cast<qint64>(static_cast<double>(p.bytes) / seconds)),
                             locale.toString(static_cast<qulonglong>(p.imported)),
                             locale.toString(static_cast<qulonglong>(p.duplicates)),
                             locale.toString(static_cast<qulonglong>(p.failed))));
    // Let the list grow while the import runs, without reloading it at
    // every file.
    if (m_sinceRefresh.elapsed() > 1500) {
        m_sinceRefresh.restart();
        m_workspace->notifyDocumentsChanged();
    }
}

void ImportDialog::finish()
{
    m_report = std::move(m_outcome->report);
    m_error = m_outcome->error;
    const bool tagged = m_outcome->tagged;
    m_pages->setCurrentIndex(1);
    const QLocale locale;
    if (m_error) {
        m_summary->setText(tr("Nothing was imported: %1").arg(toQString(*m_error)));
    } else {
        QString text = m_report.cancelled ? tr("<b>Import cancelled.</b> ") : tr("<b>Import finished.</b> ");
        text += tr("%Ln new article(s)", nullptr, static_cast<int>(m_report.imported));
        if (m_report.duplicates)
            text += tr(", %Ln already in the store", nullptr, static_cast<int>(m_report.duplicates));
        if (m_report.mergedDocuments) {
            text += tr(", %Ln annotation(s) merged into them", nullptr, static_cast<int>(m_report.mergedAnnotations));
            if (m_report.conflicts)
                text += tr(" (%Ln reviewed differently in both: the newer review was kept)", nullptr,
                           static_cast<int>(m_report.conflicts));
        }
        if (!m_report.failures.empty())
            text += tr(", %Ln failed", nullptr, static_cast<int>(m_report.failures.size()));
        if (m_report.ignored)
            text += tr(", %Ln skipped (not an article format)", nullptr, static_cast<int>(m_report.ignored));
        text += tr(" in %1 s.").arg(locale.toString(m_report.seconds, 'f', 1));
        if (!tagged)
            text += tr(" The tagger could not start, so no suggestions were made.");
        m_summary->setText(text);
    }
    m_failures->setVisible(!m_report.failures.empty());
    for (const ImportFailure &f : m_report.failures) {
        auto *item = new QTreeWidgetItem(m_failures, {QFileInfo(toQString(f.path)).fileName(), toQString(f.reason)});
        item->setToolTip(0, toQString(f.path));
        item->setToolTip(1, toQString(f.reason));
    }
    m_failures->resizeColumnToContents(0);
    adjustSize();
    m_workspace->reloadTypes(); // a Lede export may bring types of its own
    m_workspace->notifyDocumentsChanged();
    if (m_report.mergedAnnotations > 0)
        m_workspace->notifyAnnotationsChanged({}); // merged into documents already shown
    Q_EMIT importFinished();
}

} // namespace lede::ui
