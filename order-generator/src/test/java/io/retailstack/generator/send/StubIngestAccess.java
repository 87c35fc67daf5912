package io.retailstack.generator.send;

import java.io.IOException;
import java.net.URI;

/** Lets tests of other packages start the package-private {@link StubIngest}. */
public final class StubIngestAccess implements AutoCloseable {

    private StubIngest stub;

    public StubIngestAccess start() throws IOException {
        stub = new StubIngest();
        return this;
    }

    public URI url() {
        return stub.url();
    }

    @Override
    public void close() {
        stub.close();
    }
}
