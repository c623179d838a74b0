#pragma once

#include <QObject>
#include <QString>

#include <atomic>
#include <cstdint>
#include <memory>

class QTimer;

namespace lede::ui {

class Workspace;

/// Teaches the tagger from the analyst's reviews, in the background: after
/// every reviewsPerUpdate() reviews (manual annotations, accepted and
/// rejected suggestions) and on request, it trains the store's model
/// update on a connection of its own (updateModelFromStore), then re-tags
/// the documents nobody has reviewed yet. What the analyst made or
/// reviewed is never touched. One run at a time; asking during a run runs
/// it once more afterwards.
class Learner : public QObject {
    Q_OBJECT

public:
    explicit Learner(Workspace *workspace, QObject *parent = nullptr);
    ~Learner() override;

    /// Learns now, whatever the count of new reviews.
    void learnNow();
    bool isRunning() const { return m_running; }

    /// Reviews between automatic updates (setting learning/reviews); 0
    /// learns only on request.
    static int reviewsPerUpdate();
    static void setReviewsPerUpdate(int reviews);
    static constexpr int kDefaultReviews = 25;

Q_SIGNALS:
    void started();
    /// A line for the status bar: what was learned and re-tagged.
    void finished(const QString &summary);
    void failed(const QString &message);

private:
    void reviewed();
    void check();
    void start();

    Workspace *m_workspace;
    QTimer *m_wait;
    bool m_running = false;
    bool m_again = false;
    std::int64_t m_trainedAt = -1; // Unix seconds of the store's update; -1: not read yet
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

} // namespace lede::ui
