package io.retailstack.localstack.engine;

import io.retailstack.localstack.Engine;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Protocol-level readiness probes written against the wire protocols with the JDK only, so the supervisor needs no
 * client library: a probe succeeds only when the engine answers a real request, not merely when its port is open.
 */
public final class Probes {
    public static final String HOST = "127.0.0.1";
    private static final int TIMEOUT_MS = 2000;

    private Probes() {}

    public static boolean probe(Engine engine, int port) {
        try {
            return switch (engine) {
                case KAFKA -> kafkaApiVersions(port);
                case CASSANDRA -> cqlOptions(port);
                case POSTGRES -> postgresStartup(port);
                case REDIS -> redisPing(port);
            };
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** True when something accepts TCP connections on the port (used to detect port conflicts). */
    public static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Socket open(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(HOST, port), TIMEOUT_MS);
        s.setSoTimeout(TIMEOUT_MS);
        return s;
    }

    /** Kafka ApiVersions v0: the broker only processes requests once it has joined the KRaft quorum and is unfenced. */
    static boolean kafkaApiVersions(int port) throws IOException {
        try (Socket s = open(port)) {
            byte[] clientId = "retail-stack-probe".getBytes(StandardCharsets.UTF_8);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(2 + 2 + 4 + 2 + clientId.length);
            out.writeShort(18); // ApiVersions
            out.writeShort(0);
            out.writeInt(4242); // correlation id
            out.writeShort(clientId.length);
            out.write(clientId);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            int size = in.readInt();
            int correlationId = in.readInt();
            short errorCode = in.readShort();
            return size > 6 && correlationId == 4242 && errorCode == 0;
        }
    }

    /** CQL native protocol v4 OPTIONS frame; a ready node answers SUPPORTED (opcode 0x06). */
    static boolean cqlOptions(int port) throws IOException {
        try (Socket s = open(port)) {
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {0x04, 0x00, 0x00, 0x01, 0x05, 0, 0, 0, 0});
            out.flush();
            byte[] header = new DataInputStreamReader(s.getInputStream()).readFully(9);
            return (header[0] & 0xff) == 0x84 && header[4] == 0x06;
        }
    }

    /**
     * PostgreSQL StartupMessage for user postgres: a server ready for connections answers with an authentication
     * request ('R'); a starting or recovering one answers an ErrorResponse ('E', SQLSTATE 57P03). Like pg_isready.
     */
    static boolean postgresStartup(int port) throws IOException {
        try (Socket s = open(port)) {
            byte[] params = "user\0postgres\0database\0postgres\0\0".getBytes(StandardCharsets.UTF_8);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeInt(8 + params.length);
            out.writeInt(196608); // protocol 3.0
            out.write(params);
            out.flush();
            int type = s.getInputStream().read();
            return type == 'R';
        }
    }

    static boolean redisPing(int port) throws IOException {
        try (Socket s = open(port)) {
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            byte[] reply = new DataInputStreamReader(s.getInputStream()).readFully(5);
            return "+PONG".equals(new String(reply, StandardCharsets.US_ASCII));
        }
    }

    private record DataInputStreamReader(InputStream in) {
        byte[] readFully(int n) throws IOException {
            byte[] b = new byte[n];
            new DataInputStream(in).readFully(b);
            return b;
        }
    }
}
