package io.retailstack.enricher.cli;

import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import picocli.CommandLine;

/**
 * Command mode entry point: {@code run} (once, exit code for a CronJob), {@code rebuild --from}, {@code serve}
 * (scheduled in-process) and {@code load-reference}. No arguments means {@code serve}. Arguments are parsed by plain
 * picocli; the commands are CDI beans.
 */
@QuarkusMain
public class EnricherMain implements QuarkusApplication {

    @Inject
    EnricherCommand command;

    @Inject
    CommandLine.IFactory factory;

    @Override
    public int run(String... args) {
        String[] effective = args.length == 0 ? new String[] {"serve"} : args;
        return new CommandLine(command, factory).execute(effective);
    }
}
