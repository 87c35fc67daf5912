package io.retailstack.enricher.cli;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import jakarta.enterprise.context.ApplicationScoped;
import picocli.CommandLine;

/** Lets picocli take its sub-commands from CDI, so they can inject the job. */
@ApplicationScoped
public class CdiFactory implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
        InstanceHandle<K> handle = Arc.container().instance(cls);
        if (handle.isAvailable()) {
            return handle.get();
        }
        return CommandLine.defaultFactory().create(cls);
    }
}
