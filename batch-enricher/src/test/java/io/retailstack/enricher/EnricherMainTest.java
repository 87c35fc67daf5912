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
    void shouldExitTwoOnAnImpossibleShard(QuarkusMainLauncher launcher) {
        LaunchResult tooMany = launcher.launch("run", "--shard-index", "0", "--shard-count", "17");
        assertThat(tooMany.exitCode()).as(tooMany.getErrorOutput()).isEqualTo(2);
        assertThat(tooMany.getErrorOutput()).contains("shard count must be 1..16");

        LaunchResult outside = launcher.launch(
                "rebuild", "--from", "2026-01-01T00:00:00Z", "--shard-index", "4", "--shard-count", "4");
        assertThat(outside.exitCode()).as(outside.getErrorOutput()).isEqualTo(2);
        assertThat(outside.getErrorOutput()).contains("shard index must be 0..3");
    }

    @Test
    void shouldExitTwoOnAUsageError(QuarkusMainLauncher launcher) {
        assertThat(launcher.launch("rebuild").exitCode()).isEqualTo(2);
    }
}
