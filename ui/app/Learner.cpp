#include "ui/app/Learner.h"

#include "core/nlp/Learning.h"
#include "core/store/Store.h"
#include "ui/base/QtText.h"
#include "ui/app/Workspace.h"

#include <QFutureWatcher>
#include <QSettings>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace lede::ui {

namespace {

constexpr const char *kReviewsKey = "learning/reviews";

struct Outcome {
    ModelUpdateReport update;
    std::vector<std::int64_t> retagged;
};

// The whole run, on its own connection to the store.
Result<Outcome> learn(const std::string &path, const std::atomic<bool> &cancel)
{
    LEDE_TRY_ASSIGN(auto opened, Store::open(path));
    Outcome out;
    LEDE_TRY_ASSIGN(auto report, updateModelFromStore(*opened));
    out.update = report;
    if (!cancel.load())
        LEDE_TRY(retagUnreviewed(*opened, &out.retagged, &cancel));
    return out;
}

} // namespace

Learner::Learner(Workspace *workspace, QObject *parent)
    : QObject(parent), m_workspace(workspace), m_wait(new QTimer(this)), m_cancel(std::make_shared<std::atomic<bool>>(false))
{
    // Reviews come in bursts (Accept All, a run of Return presses): count
    // them once the burst is over.
    m_wait->setSingleShot(true);
    m_wait->setInterval(1500);
    connect(m_wait, &QTimer::timeout, this, &Learner::check);
    connect(workspace, &Workspace::changeApplied, this, &Learner::reviewed);
    connect(workspace, &Workspace::storeOpened, this, [this] { m_trainedAt = -1; });
}

Learner::~Learner() { m_cancel->store(true); }

int Learner::reviewsPerUpdate() { return QSettings().value(kReviewsKey, kDefaultReviews).toInt(); }

void Learner::setReviewsPerUpdate(int reviews) { QSettings().setValue(kReviewsKey, std::max(0, reviews)); }

void Learner::reviewed()
{
    if (reviewsPerUpdate() > 0)
        m_wait->start();
}

void Learner::check()
{
    const int every = reviewsPerUpdate();
    if (every <= 0 || !m_workspace->isOpen())
        return;
    Store &store = m_workspace->store();
    if (m_trainedAt < 0) {
        auto row = store.modelUpdate();
        if (!row)
            return;
        m_trainedAt = *row ? (*row)->trainedAt : 0;
    }
    auto since = store.reviewsSince(m_trainedAt);
    if (since && *since >= every)
        start();
}

void Learner::learnNow() { start(); }

void Learner::start()
{
    if (!m_workspace->isOpen())
        return;
    if (m_running) {
        m_again = true;
        return;
    }
    m_running = true;
    Q_EMIT started();
    const std::string path = toUtf8(m_workspace->path());
    auto slot = std::make_shared<std::optional<Result<Outcome>>>();
    auto *watcher = new QFutureWatcher<void>(this);
    connect(watcher, &QFutureWatcher<void>::finished, this, [this, watcher, slot, path] {
        watcher->deleteLater();
        m_running = false;
        if (!*slot)
            return;
        Result<Outcome> &result = **slot;
        if (!result) {
            Q_EMIT failed(tr("Could not learn from the reviews: %1").arg(toQString(result.message())));
        } else if (toUtf8(m_workspace->path()) == path) {
            m_trainedAt = result->update.trainedAt;
            QList<qint64> ids(result->retagged.begin(), result->retagged.end());
            if (!ids.isEmpty())
                m_workspace->notifyAnnotationsChanged(ids);
            const ModelUpdateReport &u = result->update;
            Q_EMIT finished(u.removed ? tr("No reviews to learn from: tagging with the built-in model.")
                                      : tr("Learned from %n review(s) in %1 s; ", nullptr, static_cast<int>(u.reviews))
                                                .arg(u.seconds, 0, 'f', 1)
                                            + tr("re-tagged %n unreviewed document(s).", nullptr, static_cast<int>(ids.size())));
        }
        if (m_again) {
            m_again = false;
            start();
        }
    });
    watcher->setFuture(QtConcurrent::run([slot, path, cancel = m_cancel] { *slot = learn(path, *cancel); }));
}

} // namespace lede::ui
