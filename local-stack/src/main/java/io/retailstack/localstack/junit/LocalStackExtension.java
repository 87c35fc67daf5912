package io.retailstack.localstack.junit;

import io.retailstack.localstack.LocalStack;
import io.retailstack.localstack.StackEndpoints;
import io.retailstack.localstack.StackProvider;
import io.retailstack.localstack.testcontainers.ContainerStack;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension for plain (non-Quarkus) tests: ensures the shared local stack is up before the test class and
 * injects {@link StackEndpoints} (and {@link LocalStack}, for outage tests) into test methods, constructors and
 * lifecycle methods.
 *
 * <pre>{@code
 * @ExtendWith(LocalStackExtension.class)
 * class MyIT {
 *     @Test
 *     void works(StackEndpoints endpoints) { ... endpoints.kafkaBootstrapServers() ... }
 * }
 * }</pre>
 *
 * The stack is not stopped afterwards: this JVM's lease ends when the JVM exits and the supervisor stops the engines
 * after its idle timeout, so the next test JVM of the build reuses them.
 */
public final class LocalStackExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LocalStackExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        endpoints(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == StackEndpoints.class || type == LocalStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        if (parameterContext.getParameter().getType() == LocalStack.class) {
            return stack(extensionContext);
        }
        return endpoints(extensionContext);
    }

    private static LocalStack stack(ExtensionContext context) {
        if (StackProvider.fromEnvironment() == StackProvider.TESTCONTAINERS) {
            throw new ParameterResolutionException(
                    "LocalStack (engine control for outage tests) exists only with retail.stack.provider=local");
        }
        return context.getRoot()
                .getStore(NS)
                .getOrComputeIfAbsent(LocalStack.class, k -> LocalStack.fromEnvironment(), LocalStack.class);
    }

    private static StackEndpoints endpoints(ExtensionContext context) {
        // Re-checked per test class (cheap when up): an earlier class may have stopped an engine.
        return context.getStore(NS)
                .getOrComputeIfAbsent(
                        StackEndpoints.class,
                        k -> StackProvider.fromEnvironment() == StackProvider.TESTCONTAINERS
                                ? ContainerStack.ensureUp()
                                : stack(context).ensureUp(),
                        StackEndpoints.class);
    }
}
