package io.retailstack.cache;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 keep-alive client for the benchmark: one connection, one request at a time, Content-Length bodies
 * only. Far lighter than a general client, so the numbers measure the server, not the load generator.
 */
final class RawHttpClient implements Closeable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String host;
    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding:".getBytes(StandardCharsets.US_ASCII);
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int lim;

    RawHttpClient(String host, int port) throws IOException {
        this.host = host;
        this.socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    byte[] request(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: application/json\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends a prepared request, reads the whole response, returns the status code. */
    int get(byte[] request) throws IOException {
        out.write(request);
        out.flush();
        int status = -1;
        long contentLength = 0;
        boolean first = true;
        while (true) {
            int lineEnd = findLineEnd(); // may compact the buffer: read pos after it
            int lineStart = pos;
            int len = lineEnd - lineStart;
            if (len == 0) {
                pos = lineEnd + 2;
                break;
            }
            if (first) {
                status = (buf[lineStart + 9] - '0') * 100
                        + (buf[lineStart + 10] - '0') * 10
                        + (buf[lineStart + 11] - '0');
                first = false;
            } else if (startsWithIgnoreCase(lineStart, len, CONTENT_LENGTH)) {
                contentLength = Long.parseLong(new String(
                                buf,
                                lineStart + CONTENT_LENGTH.length,
                                len - CONTENT_LENGTH.length,
                                StandardCharsets.US_ASCII)
                        .trim());
            } else if (startsWithIgnoreCase(lineStart, len, TRANSFER_ENCODING)) {
                throw new IOException("chunked responses are not supported by this client");
            }
            pos = lineEnd + 2;
        }
        long remaining = contentLength;
        while (remaining > 0) {
            if (pos == lim) {
                fill();
            }
            int take = (int) Math.min(remaining, lim - pos);
            pos += take;
            remaining -= take;
        }
        return status;
    }

    /** Index of the CR of the line starting at pos, reading more as needed (compacting the buffer). */
    private int findLineEnd() throws IOException {
        int i = pos;
        while (true) {
            while (i + 1 < lim) {
                if (buf[i] == '\r' && buf[i + 1] == '\n') {
                    return i;
                }
                i++;
            }
            int shift = pos;
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= shift;
            i -= shift;
            pos = 0;
            int n = in.read(buf, lim, buf.length - lim);
            if (n < 0) {
                throw new EOFException("connection closed");
            }
            lim += n;
        }
    }

    private void fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
            throw new EOFException("connection closed in body");
        }
        pos = 0;
        lim = n;
    }

    private boolean startsWithIgnoreCase(int off, int len, byte[] prefix) {
        if (len < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (Character.toLowerCase(buf[off + i]) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
