package io.retailstack.localstack.testcontainers;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ContainerStackTest {

    @Test
    void shouldExplainWhatToDoWhenTestcontainersIsAskedForWithoutDocker() {
        assertThatThrownBy(() -> ContainerStack.ensureUp(() -> false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Docker engine")
                .hasMessageContaining("unset it");
    }
}
