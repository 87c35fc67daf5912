package io.retailstack.demo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Bad options are refused with exit 2 and the reason before anything starts (no engine, no service). */
class DemoCliTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--orders|0|--orders must be at least 1",
                "--fraud-share|1.5|--fraud-share must be between 0 and 1, got 1.5",
                "--malformed-share|0.95|--malformed-share must be between 0 and 0.9, got 0.95",
                "--base-port|0|--base-port must be between 1024 and 65532",
                "--base-port|65534|--base-port must be between 1024 and 65532"
            })
    void shouldRefuseABadOptionWithExitTwoBeforeStartingAnything(String option, String value, String message) {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new DemoCli()).setErr(new PrintWriter(err));

        int exit = cmd.execute(option, value);

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains(message);
    }

    @Test
    void shouldDescribeEveryOptionInItsHelp() {
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new DemoCli()).setOut(new PrintWriter(out));

        assertThat(cmd.execute("--help")).isZero();
        assertThat(out.toString())
                .contains("--orders", "--seed", "--fraud-share", "--malformed-share", "--report-dir", "--base-port");
    }

    @Test
    void shouldPutAGivenRelativeReportDirWhereTheUserWasAndTheDefaultInTheRepository() {
        assertThat(DemoCli.reportDir(Path.of("out"), true, "/home/me/work")).isEqualTo(Path.of("/home/me/work/out"));
        assertThat(DemoCli.reportDir(Path.of("/tmp/r"), true, "/home/me/work")).isEqualTo(Path.of("/tmp/r"));
        assertThat(DemoCli.reportDir(Path.of("reports/demo"), false, "/home/me/work"))
                .isEqualTo(Path.of("reports/demo"));
        assertThat(DemoCli.reportDir(Path.of("out"), true, null)).isEqualTo(Path.of("out"));
    }
}
