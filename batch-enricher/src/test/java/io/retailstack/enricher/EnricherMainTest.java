package io.retailstack.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import io.retailstack.enricher.support.EnricherStackResource;
import org.junit.jupiter.api.Test;

/** The command line as a CronJob sees it: exit codes. */
@QuarkusMainTest
@QuarkusTestResource(value = EnricherStackResource.class, restrictToAnnotatedClass = false)
class EnricherMainTest {

    @Test
    void shouldExitZeroAfterOneRunOfAShard(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("run", "--shard-index", "3", "--shard-count", "4");
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutput()).contains("SUCCEEDED");
    }

    @Test
    void shouldExitNonZeroWhenTheRunCannotStart(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("run", "--shard-index", "0", "--shard-count", "17");
        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void shouldExitTwoOnAUsageError(QuarkusMainLauncher launcher) {
        assertThat(launcher.launch("rebuild").exitCode()).isEqualTo(2);
    }
}
