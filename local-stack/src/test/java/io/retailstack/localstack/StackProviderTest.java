package io.retailstack.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StackProviderTest {

    @Test
    void shouldDefaultToLocalProcesses() {
        assertThat(StackProvider.parse(null)).isEqualTo(StackProvider.LOCAL);
        assertThat(StackProvider.parse(" ")).isEqualTo(StackProvider.LOCAL);
    }

    @Test
    void shouldAcceptTestcontainersInAnyCase() {
        assertThat(StackProvider.parse("Testcontainers")).isEqualTo(StackProvider.TESTCONTAINERS);
    }

    @Test
    void shouldNameTheValidChoicesForAnUnknownProvider() {
        assertThatThrownBy(() -> StackProvider.parse("docker"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retail.stack.provider=docker")
                .hasMessageContaining("'local'")
                .hasMessageContaining("'testcontainers'");
    }
}
