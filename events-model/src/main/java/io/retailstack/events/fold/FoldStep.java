package io.retailstack.events.fold;

import java.util.Objects;

/**
 * The result of applying one event: the new state, and whether the event was applied or ignored and
 * why. An ignored event leaves the state exactly as it was, version included.
 *
 * @param state the state after the event (the same instance when ignored)
 * @param applied whether the event changed the state
 * @param ignoreReason why it was ignored; null when applied
 * @param detail human-readable explanation of an ignore; null when applied
 */
public record FoldStep<S>(S state, boolean applied, IgnoreReason ignoreReason, String detail) {

    public FoldStep {
        Objects.requireNonNull(state, "state");
        if (applied != (ignoreReason == null)) {
            throw new IllegalArgumentException("an ignored step needs a reason, an applied one must not have one");
        }
    }

    static <S> FoldStep<S> applied(S state) {
        return new FoldStep<>(state, true, null, null);
    }

    static <S> FoldStep<S> ignored(S state, IgnoreReason reason, String detail) {
        return new FoldStep<>(state, false, reason, detail);
    }
}
