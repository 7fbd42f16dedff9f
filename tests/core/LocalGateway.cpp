#include "LocalGateway.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace gwanje::test {

namespace {
QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 302:
        return "Found";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}
} // namespace

LocalGateway::LocalGateway(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &LocalGateway::onConnection);
}

LocalGateway::~LocalGateway() = default;

bool LocalGateway::listen()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

void LocalGateway::close()
{
    m_server->close();
    const QList<QTcpSocket *> sockets = m_buffers.keys();
    m_buffers.clear();
    for (QTcpSocket *socket : sockets) {
        socket->abort();
        socket->deleteLater();
    }
}

quint16 LocalGateway::port() const
{
    return m_server->serverPort();
}

QString LocalGateway::url() const
{
    return QStringLiteral("http://127.0.0.1:%1/sms").arg(port());
}

void LocalGateway::onConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        m_buffers.insert(socket, {});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void LocalGateway::onReadyRead(QTcpSocket *socket)
{
    if (!m_buffers.contains(socket))
        return;
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return;
    GatewayRequest request;
    const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    request.method = requestLine.value(0);
    request.path = requestLine.value(1);
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            request.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
    }
    const qsizetype length = request.headers.value("content-length", "0").toLongLong();
    if (buffer.size() < headEnd + 4 + length)
        return; // the rest of the body is still on its way
    request.body = buffer.mid(headEnd + 4, length);
    buffer.clear(); // one request per connection: every answer closes it

    GatewayAnswer answer;
    if (m_responder)
        answer = m_responder(request, int(m_requests.size()));
    else
        answer.status = m_script.isEmpty() ? m_fallback : m_script.takeFirst();
    if (m_hook)
        m_hook(request);
    if (answer.drop) {
        m_requests.push_back(std::move(request));
        socket->abort(); // emits disconnected: the socket is deleted later
        return;
    }
    if (answer.status == Hold) {
        m_requests.push_back(std::move(request));
        return;
    }
    request.answered = answer.status;
    m_requests.push_back(std::move(request));
    const QByteArray body = "{}";
    const QByteArray interim =
        answer.interim > 0 ? "HTTP/1.1 " + QByteArray::number(answer.interim) + " Continue\r\n\r\n" : QByteArray();
    const QByteArray response =
        interim + "HTTP/1.1 " + QByteArray::number(answer.status) + ' ' + reasonPhrase(answer.status) +
        "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
        "\r\nConnection: close\r\n\r\n" + body;
    auto write = [socket, response] {
        if (socket->state() != QAbstractSocket::ConnectedState)
            return; // the client gave up waiting
        socket->write(response);
        socket->disconnectFromHost();
    };
    if (answer.delayMs > 0)
        QTimer::singleShot(answer.delayMs, socket, write); // cancelled with the socket
    else
        write();
}

GatewayThread::GatewayThread(std::function<GatewayAnswer(const GatewayRequest &, int)> responder)
    : m_gateway(new LocalGateway)
{
    m_gateway->setResponder(std::move(responder));
    m_gateway->moveToThread(&m_thread);
    m_thread.start();
    // The server's socket is made on the thread that will serve it.
    QMetaObject::invokeMethod(
        m_gateway,
        [this] {
            m_listening = m_gateway->listen();
            m_url = m_gateway->url();
        },
        Qt::BlockingQueuedConnection);
}

GatewayThread::~GatewayThread()
{
    QMetaObject::invokeMethod(
        m_gateway, [this] { delete m_gateway; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

std::vector<GatewayRequest> GatewayThread::requests() const
{
    std::vector<GatewayRequest> out;
    QMetaObject::invokeMethod(
        m_gateway, [&] { out = m_gateway->requests(); }, Qt::BlockingQueuedConnection);
    return out;
}

} // namespace gwanje::test
