#include "ui/dialogs/TypesDialog.h"

#include "core/store/Store.h"
#include "core/store/DeskOperations.h"
#include "ui/base/QtText.h"
#include "ui/dialogs/TypeListModel.h"
#include "ui/app/Workspace.h"

#include <QColorDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QTableView>
#include <QVBoxLayout>

namespace lede::ui {

namespace {

std::function<QColor(const QColor &)> &colorPicker()
{
    static std::function<QColor(const QColor &)> picker;
    return picker;
}

} // namespace

void TypesDialog::setColorPicker(std::function<QColor(const QColor &)> picker) { colorPicker() = std::move(picker); }

TypesDialog::TypesDialog(Workspace *workspace, QWidget *parent)
    : QDialog(parent)
    , m_workspace(workspace)
    , m_model(new TypeListModel(workspace, this))
    , m_table(new QTableView(this))
    , m_name(new QLineEdit(this))
    , m_key(new QLineEdit(this))
    , m_color(new QPushButton(this))
    , m_newColor(QStringLiteral("#0c8599"))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("Entity Types"));
    setMinimumSize(460, 420);

    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(TypeListModel::NameColumn, QHeaderView::Stretch);
    m_table->setShowGrid(false);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);

    auto *changeColor = new QPushButton(tr("Change Colour…"), this);
    auto *listButtons = new QHBoxLayout;
    listButtons->addStretch(1);
    listButtons->addWidget(changeColor);

    m_name->setPlaceholderText(tr("e.g. MALWARE"));
    m_name->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[A-Za-z][A-Za-z0-9_-]{0,39}")), m_name));
    m_key->setMaxLength(1);
    m_key->setMaximumWidth(m_key->fontMetrics().horizontalAdvance(QStringLiteral("MMM")) + 12);
    m_key->setPlaceholderText(tr("6"));
    auto *add = new QPushButton(tr("Add Type"), this);
    auto *addForm = new QFormLayout;
    addForm->addRow(tr("Name:"), m_name);
    addForm->addRow(tr("Colour:"), m_color);
    addForm->addRow(tr("Key:"), m_key);
    auto *addRow = new QHBoxLayout;
    addRow->addStretch(1);
    addRow->addWidget(add);
    auto *addBox = new QGroupBox(tr("New type"), this);
    auto *addLayout = new QVBoxLayout(addBox);
    addLayout->addLayout(addForm);
    addLayout->addLayout(addRow);

    m_error->setWordWrap(true);
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, QColor(0xc9, 0x2a, 0x2a));
    m_error->setPalette(errorPalette);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addLayout(listButtons);
    layout->addWidget(addBox);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    updateColorButton();

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_color, &QPushButton::clicked, this, [this] {
        const QColor c = pickColor(m_newColor);
        if (c.isValid()) {
            m_newColor = c;
            updateColorButton();
        }
    });
    connect(add, &QPushButton::clicked, this, [this] { addType(m_name->text(), m_newColor, m_key->text()); });
    connect(changeColor, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_table->currentIndex();
        if (current.isValid())
            this->changeColor(current.row());
    });
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        if (index.column() == TypeListModel::ColorColumn)
            this->changeColor(index.row());
    });
    connect(m_model, &TypeListModel::errorOccurred, m_error, &QLabel::setText);
}

QColor TypesDialog::pickColor(const QColor &current)
{
    if (colorPicker())
        return colorPicker()(current);
    return QColorDialog::getColor(current, this, tr("Choose a Colour"));
}

void TypesDialog::updateColorButton()
{
    QPixmap swatch(32, 14);
    swatch.fill(m_newColor);
    m_color->setIcon(QIcon(swatch));
    m_color->setText(m_newColor.name());
}

bool TypesDialog::addType(const QString &name, const QColor &color, const QString &key)
{
    auto added = m_workspace->store().addType(toUtf8(name.trimmed()), toUtf8(color.name()), toUtf8(key.trimmed()));
    if (!added) {
        m_error->setText(toQString(added.message()));
        return false;
    }
    m_error->clear();
    m_name->clear();
    m_key->clear();
    m_workspace->reloadTypes();
    return true;
}

bool TypesDialog::changeColor(int row)
{
    const EntityType *type = m_model->type(row);
    if (!type)
        return false;
    const QColor color = pickColor(QColor(toQString(type->color)));
    if (!color.isValid())
        return false;
    if (auto st = setTypeColor(m_workspace->store(), type->name, toUtf8(color.name())); !st) {
        m_error->setText(toQString(st.message()));
        return false;
    }
    m_error->clear();
    m_workspace->reloadTypes();
    return true;
}

} // namespace lede::ui
